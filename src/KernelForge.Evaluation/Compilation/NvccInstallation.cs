namespace KernelForge.Evaluation.Compilation;

/// <summary>An nvcc found on this machine, with what goes with it: its version, host compiler and runtime library folder.</summary>
/// <param name="NvccPath">The nvcc executable, as a full path.</param>
/// <param name="VersionText">The full <c>nvcc --version</c> output; part of every cache key.</param>
/// <param name="Release">The CUDA release (e.g. 12.8), or null when the version text did not name one.</param>
/// <param name="HostCompiler">For <c>-ccbin</c>, or null for nvcc's default.</param>
/// <param name="CudaLibraryDirectory">Holds <c>libcudart.so</c>, for <c>-Xlinker -rpath</c>; null when it is on the system path.</param>
public sealed record NvccInstallation(
    string NvccPath,
    string VersionText,
    Version? Release,
    string? HostCompiler,
    string? CudaLibraryDirectory)
{
    /// <summary>The <see cref="NvccOptions.Architecture"/> for a GPU of the given compute capability, as this release spells it.</summary>
    public string ArchitectureFor(int computeCapabilityMajor, int computeCapabilityMinor) =>
        NvccOptions.ArchitectureFor(computeCapabilityMajor, computeCapabilityMinor, Release);

    /// <summary>Options that build with this installation for <paramref name="architecture"/>, including <paramref name="includeDirectory"/> (the repository's <c>abi/</c>).</summary>
    public NvccOptions CreateOptions(string architecture, string includeDirectory) =>
        new(NvccPath, architecture, includeDirectory)
        {
            HostCompiler = HostCompiler,
            CudaLibraryDirectory = CudaLibraryDirectory,
        };
}
