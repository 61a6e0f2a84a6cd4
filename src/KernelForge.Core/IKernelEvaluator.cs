namespace KernelForge.Core;

/// <summary>Compiles, checks and times candidates; the seam the search and the CLI evaluate through.</summary>
/// <remarks>
/// Expected failures (does not compile, wrong answer, timed out) come back as a rejected <see cref="EvaluationResult"/>,
/// never as exceptions. Exceptions mean broken infrastructure (no GPU, no worker). Implementations serialize
/// calls per GPU; callers may call concurrently.
/// </remarks>
public interface IKernelEvaluator
{
    Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default);
}
