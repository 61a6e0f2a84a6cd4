namespace KernelForge.Search.Tuning;

/// <summary>The outcome of a tuning run: the fastest accepted variant (null when none passed) and every evaluation, in order.</summary>
public sealed record TuningResult(
    TunedVariant? Best,
    IReadOnlyList<TunedVariant> Evaluated,
    int DuplicatesSkipped,
    TuningStopReason StopReason,
    TimeSpan Elapsed)
{
    public int AcceptedCount => Evaluated.Count(variant => variant.Evaluation.Accepted);
}
