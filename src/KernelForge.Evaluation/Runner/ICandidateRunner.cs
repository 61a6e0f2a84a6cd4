using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// A process that runs a loaded candidate on the worker's input sets and times it: the ABI runner (C#, no torch) or the
/// extension runner (Python, torch extensions). The evaluation's run → check → time sequence is the same for both.
/// </summary>
/// <remarks>Candidate failures (crash, hang, CUDA error, changed inputs) come back as values, never as exceptions.</remarks>
public interface ICandidateRunner
{
    /// <summary>Runs the loaded candidate once on input set <paramref name="inputSet"/>, writing its outputs to <paramref name="outputPaths"/>.</summary>
    Task<RunnerRunResult> RunAsync(int inputSet, IReadOnlyList<string> outputPaths, TimeSpan deadline, CancellationToken cancellationToken = default);

    /// <summary>Times the loaded candidate with the shared protocol; raw samples in µs.</summary>
    Task<RunnerTimeResult> TimeAsync(TimingOptions timing, TimeSpan deadline, CancellationToken cancellationToken = default);
}
