namespace KernelForge.Core;

/// <summary>
/// Outcome of evaluating one candidate: how far it got, why it stopped, what each check saw, and its timings
/// beside the reference's, measured in the same session on the same GPU.
/// </summary>
/// <remarks>
/// <see cref="CandidateTiming"/> is set only when every check passed: correctness gates timing.
/// Speedup is the reference median divided by the candidate median.
/// </remarks>
public sealed record EvaluationResult(
    Candidate Candidate,
    ProblemInfo? Problem,
    PrecisionPolicy Precision,
    EvaluationStage ReachedStage,
    FailureKind? Failure,
    string? FailureMessage,
    CompileResult? Compile,
    IReadOnlyList<InputSetCheck> Checks,
    TimingSummary? CandidateTiming,
    TimingSummary? EagerTiming,
    TimingSummary? CompiledTiming,
    EnvironmentInfo? Environment,
    IReadOnlyList<string> Warnings,
    DateTimeOffset FinishedAt)
{
    public bool Accepted => Failure is null && CandidateTiming is not null;

    /// <summary>Every check that ran passed; with no timing (<see cref="EvaluationRequest.CheckOnly"/>) this is all a result can say.</summary>
    public bool Correct => Failure is null && ReachedStage >= EvaluationStage.Check;

    /// <summary>Every check that ran, in order, with what it saw (<c>kforge verify --explain</c>).</summary>
    public IReadOnlyList<CheckRecord> Explanation { get; init; } = [];

    public double? SpeedupOverEager => Ratio(EagerTiming, CandidateTiming);

    public double? SpeedupOverCompiled => Ratio(CompiledTiming, CandidateTiming);

    /// <summary>Memory floor: bytes that must move divided by the measured peak bandwidth, in microseconds.</summary>
    public double? MemoryFloorMicroseconds =>
        Problem is { BytesMoved: > 0 } problem && Environment?.MeasuredPeakBandwidthBytesPerSecond is { } bandwidth and > 0
            ? problem.BytesMoved / bandwidth * 1e6
            : null;

    /// <summary>Compute floor: the problem's flops at the GPU's fastest dense rate (<see cref="PeakComputeRate"/>), in microseconds.</summary>
    public double? ComputeFloorMicroseconds =>
        Problem?.Flops is > 0 and var flops && Environment is { } environment && PeakComputeRate.FlopsPerSecond(environment) is { } peak
            ? flops / peak * 1e6
            : null;

    /// <summary>Floor time over candidate median: 1.0 means the kernel moves its bytes at peak bandwidth.</summary>
    public double? FractionOfFloor =>
        MemoryFloorMicroseconds is { } floor && CandidateTiming is { MedianMicroseconds: > 0 } timing
            ? floor / timing.MedianMicroseconds
            : null;

    private static double? Ratio(TimingSummary? reference, TimingSummary? candidate) =>
        reference is not null && candidate is { MedianMicroseconds: > 0 }
            ? reference.MedianMicroseconds / candidate.MedianMicroseconds
            : null;
}
