using System.Runtime.CompilerServices;

namespace KernelForge.Evaluation.Tests.Compilation;

/// <summary>Folders of the repository the compilation tests need.</summary>
internal static class TestPaths
{
    /// <summary>The repository's <c>abi/</c> folder.</summary>
    public static string AbiDirectory { get; } = FindAbiDirectory();

    /// <summary>A real ELF64 shared library that exists wherever .NET runs on Linux, and does not export kforge_entry.</summary>
    public static string RuntimeNativeLibrary { get; } =
        Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");

    // Walks up from this source file (builds may put binaries outside the checkout, e.g. --artifacts-path /tmp/…),
    // then from the binaries and the working folder.
    private static string FindAbiDirectory([CallerFilePath] string sourceFile = "")
    {
        string[] starts = [Path.GetDirectoryName(sourceFile) ?? "", AppContext.BaseDirectory, Environment.CurrentDirectory];
        foreach (var start in starts.Where(Directory.Exists))
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var abi = Path.Combine(directory.FullName, "abi");
                if (File.Exists(Path.Combine(abi, "kforge_abi.h")))
                {
                    return abi;
                }
            }
        }

        throw new InvalidOperationException($"No abi/kforge_abi.h above {string.Join(", ", starts)}.");
    }
}
