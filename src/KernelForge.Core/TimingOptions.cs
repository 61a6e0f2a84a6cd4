namespace KernelForge.Core;

/// <summary>
/// The one timing protocol, used for candidates (ABI runner) and the reference (worker) alike: the orchestrator
/// sends these numbers with every timing request, so both loops stop by the same rule.
/// </summary>
/// <remarks>
/// Per sample: flush L2 by writing <see cref="L2FlushFactor"/> × the device's L2 size, rotate to the next input
/// set, record the start event on the harness stream, call, synchronize the whole device, record the end event.
/// Stop once at least <see cref="MinSamples"/> were taken and the 95% confidence half-width of the mean is under
/// <see cref="TargetRelativeError"/> of the mean, or at <see cref="MaxSamples"/>, or after <see cref="MaxWallMilliseconds"/>.
/// </remarks>
public sealed record TimingOptions(
    int WarmupCalls,
    int MinSamples,
    int MaxSamples,
    double TargetRelativeError,
    double MaxWallMilliseconds,
    bool FlushL2,
    double L2FlushFactor)
{
    /// <summary>Defaults: BenchmarkDotNet-like 1% target; 10 samples minimum as the Foundation issue asks.</summary>
    public static TimingOptions Default { get; } = new(
        WarmupCalls: 5,
        MinSamples: 10,
        MaxSamples: 500,
        TargetRelativeError: 0.01,
        MaxWallMilliseconds: 3000,
        FlushL2: true,
        L2FlushFactor: 2.0);
}
