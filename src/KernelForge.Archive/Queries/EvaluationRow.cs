using KernelForge.Core;

namespace KernelForge.Archive.Queries;

/// <summary>The headline columns of one archived evaluation, for listings; the raw samples and logs stay in the archive.</summary>
/// <remarks>
/// Every time is in microseconds. Timing and speedup values are null when not measured (a rejected candidate is never
/// timed), never -1. <see cref="ProblemName"/> is null when the evaluation stopped before the problem loaded.
/// </remarks>
public sealed record EvaluationRow(
    long Id,
    string CandidateId,
    string? ProblemHash,
    string? ProblemName,
    PrecisionPolicy Precision,
    EvaluationVerdict Verdict,
    EvaluationStage ReachedStage,
    FailureKind? Failure,
    string? FailureMessage,
    double? CandidateMedianMicroseconds,
    double? CandidateInterquartileRangeMicroseconds,
    double? EagerMedianMicroseconds,
    double? CompiledMedianMicroseconds,
    double? SpeedupOverEager,
    double? SpeedupOverCompiled,
    double? FractionOfFloor,
    string? GpuName,
    DateTimeOffset FinishedAt,
    string KforgeVersion);
