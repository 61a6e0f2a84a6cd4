namespace KernelForge.Evaluation.Worker;

/// <summary>The functional form against the problem's Model on one seed (the same seed builds both and draws the inputs).</summary>
/// <remarks>
/// <c>MaxAbsError</c> is max |functional − problem| over the float32 outputs (the worst output), and
/// <c>AllowedMaxAbsError</c> its bound; both are null when the functional Model did not run, and
/// <c>Message</c> says why a seed failed.
/// </remarks>
public sealed record FunctionalFormCheck(long Seed, bool Passed, double? MaxAbsError, double? AllowedMaxAbsError, string? Message);
