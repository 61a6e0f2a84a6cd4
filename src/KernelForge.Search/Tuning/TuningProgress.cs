namespace KernelForge.Search.Tuning;

/// <summary>A snapshot of a tuning run after each evaluation, for a live display.</summary>
/// <remarks>
/// <c>Tried</c> counts evaluations (accepted or rejected); <c>Planned</c> is the variants known so far, which grows by one
/// when the combination of the best schedules per kind is added; <c>DuplicatesSkipped</c> counts variants whose source
/// was identical to one already evaluated. <c>BestMedianMicroseconds</c> is null until a variant is accepted.
/// </remarks>
public sealed record TuningProgress(
    int Tried,
    int Accepted,
    int Planned,
    int DuplicatesSkipped,
    double? BestMedianMicroseconds,
    TunedVariant Latest);
