using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>Raw samples of a candidate's timing (<c>time</c>), in µs and in the order taken, or why timing failed.</summary>
/// <remarks>
/// <see cref="WallMilliseconds"/> is the host wall time of the whole timed loop (flushes and synchronizations included):
/// a cross-check that the event timings are plausible. Null when timing failed.
/// </remarks>
public sealed record RunnerTimeResult(
    IReadOnlyList<double> SamplesMicroseconds,
    bool L2Flushed,
    double? WallMilliseconds,
    FailureKind? Failure,
    string? Message)
{
    public bool Succeeded => Failure is null;

    public static RunnerTimeResult Failed(FailureKind failure, string message) => new([], L2Flushed: false, WallMilliseconds: null, failure, message);
}
