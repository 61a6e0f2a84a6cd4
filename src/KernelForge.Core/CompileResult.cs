namespace KernelForge.Core;

/// <summary>Outcome of building one candidate into a shared library, with the compiler's resource report.</summary>
public sealed record CompileResult(
    bool Succeeded,
    string? LibraryPath,
    double Seconds,
    bool CacheHit,
    string Log,
    IReadOnlyList<KernelResourceUsage> Kernels,
    FailureKind? Failure)
{
    public static CompileResult Success(string libraryPath, double seconds, bool cacheHit, string log, IReadOnlyList<KernelResourceUsage> kernels) =>
        new(true, libraryPath, seconds, cacheHit, log, kernels, Failure: null);

    public static CompileResult Failed(FailureKind failure, double seconds, string log) =>
        new(false, LibraryPath: null, seconds, CacheHit: false, log, [], failure);
}
