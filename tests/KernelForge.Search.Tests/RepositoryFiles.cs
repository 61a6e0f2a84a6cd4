using System.Runtime.CompilerServices;

namespace KernelForge.Search.Tests;

/// <summary>Finds files of the repository by walking up from this source file (builds may put binaries outside the checkout).</summary>
internal static class RepositoryFiles
{
    public static string Find(string relative, [CallerFilePath] string sourceFile = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
