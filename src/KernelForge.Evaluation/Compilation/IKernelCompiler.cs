using KernelForge.Core;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Builds one candidate source into a loadable shared library: the seam <see cref="CompilePool"/> schedules.</summary>
/// <remarks>
/// Implementations: <see cref="NvccCompiler"/>, and fakes in tests. Both members must be safe to call concurrently.
/// Expected failures (syntax errors, timeouts, a missing entry point) are returned as failed <see cref="CompileResult"/>s;
/// exceptions mean broken infrastructure (the compiler cannot be started) or cancellation.
/// </remarks>
public interface IKernelCompiler
{
    /// <summary>
    /// A lower-case hex key that is equal for two sources exactly when their builds are interchangeable: it covers
    /// the source text and everything about this compiler's configuration that changes the output.
    /// </summary>
    string ComputeCacheKey(string source);

    /// <summary>
    /// Builds <paramref name="source"/>; on success the library lies inside <paramref name="outputDirectory"/>
    /// (which exists and which the caller owns) and <see cref="CompileResult.LibraryPath"/> names it.
    /// </summary>
    Task<CompileResult> CompileAsync(string source, string outputDirectory, CancellationToken cancellationToken = default);
}
