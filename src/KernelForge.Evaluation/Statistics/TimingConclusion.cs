namespace KernelForge.Evaluation.Statistics;

/// <summary>A warning about one measurement, stored with the result and shown next to it.</summary>
/// <param name="Code">Stable, snake_case, one of the constants here (an open set: stored conclusions may carry others).</param>
/// <param name="Message">For people: what was seen, with the numbers, and what it means.</param>
public sealed record TimingConclusion(string Code, string Message)
{
    /// <summary>The interquartile range is a large part of the median.</summary>
    public const string HighDispersion = "high_dispersion";

    /// <summary>The median is so close to the empty-kernel time that launch overhead dominates it.</summary>
    public const string NearLaunchFloor = "near_launch_floor";

    /// <summary>The samples fall into two separate groups (clock changes, contention, a cache that sometimes hits).</summary>
    public const string Bimodal = "bimodal";

    /// <summary>The loop stopped (on its wall-clock limit) before the minimum sample count.</summary>
    public const string TooFewSamples = "too_few_samples";

    /// <summary>Faster than moving the data at the measured bandwidth allows; same string as <c>FailureKind.ImplausibleTime</c>.</summary>
    public const string ImplausibleTime = "implausible_time";

    /// <summary>
    /// Faster than the reference's own flop count allows at the GPU's fastest rate: the kernel did less arithmetic than
    /// the reference's algorithm, which is right only when it exploits structure (a diagonal or triangular operand).
    /// Flagged for a human look, never a rejection (see <see cref="ImplausibilityCheck.CheckCompute"/>).
    /// </summary>
    public const string BelowReferenceComputeFloor = "below_reference_compute_floor";
}
