using KernelForge.Core;

namespace KernelForge.Search.Tuning;

/// <summary>What a schedule tuning run evaluates against and how long it may take.</summary>
/// <remarks>
/// <c>Budget</c> is wall time measured with the tuner's <see cref="TimeProvider"/>; it is checked before each evaluation,
/// so a run may overshoot by at most one evaluation. <c>ProblemPath</c> is passed through to every
/// <see cref="EvaluationRequest"/> unchanged.
/// </remarks>
public sealed record ScheduleTuningOptions(
    string ProblemPath,
    PrecisionPolicy Precision,
    TimeSpan Budget,
    TimingOptions Timing,
    int InputSetCount = 3);
