namespace KernelForge.Cli;

/// <summary>
/// Files kforge ships beside its binary: the worker's Python package and the ABI header folder.
/// A build copies them into the output folder, so a published kforge works from any directory.
/// </summary>
internal sealed record KforgeResources(string WorkerSourceDirectory, string AbiDirectory)
{
    public string EmptyKernelPath => Path.Combine(AbiDirectory, "empty_kernel.cu");

    /// <summary>Finds the resources next to the binary, or in the source tree it was built from (<c>KFORGE_HOME</c> overrides both).</summary>
    public static KforgeResources? Locate()
    {
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("KFORGE_HOME") is { Length: > 0 } home)
        {
            roots.Add(home);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            roots.Add(directory.FullName);
        }

        foreach (var root in roots)
        {
            var worker = Path.Combine(root, "worker", "src");
            var abi = Path.Combine(root, "abi");
            if (File.Exists(Path.Combine(worker, "kforge_worker", "__main__.py")) && File.Exists(Path.Combine(abi, "kforge_abi.h")))
            {
                return new KforgeResources(worker, abi);
            }
        }

        return null;
    }
}
