using KernelForge.Core;

namespace KernelForge.Evaluation.Statistics;

/// <summary>Decides when a timing loop has enough samples; the worker's Python loop applies the same rule.</summary>
/// <remarks>
/// Stop when any of these holds, checked in this order:
/// <list type="number">
/// <item>n ≥ <see cref="TimingOptions.MaxSamples"/>;</item>
/// <item>elapsed ≥ <see cref="TimingOptions.MaxWallMilliseconds"/>;</item>
/// <item>n ≥ <see cref="TimingOptions.MinSamples"/> and 1.96 · s / √n / mean ≤ <see cref="TimingOptions.TargetRelativeError"/>,
/// with s the sample standard deviation (n − 1): the half-width of the normal 95% confidence interval of the mean,
/// relative to the mean (BenchmarkDotNet's <c>EngineActualStageAuto</c> stops on the same quantity).</item>
/// </list>
/// The precision test needs n ≥ 2 (s is undefined below) and a positive mean; otherwise only the limits stop the loop.
/// </remarks>
public static class AdaptiveStopRule
{
    /// <summary>The two-sided 95% normal quantile.</summary>
    public const double ConfidenceZ = 1.96;

    public static bool ShouldStop(IReadOnlyList<double> samplesMicroseconds, double elapsedMilliseconds, TimingOptions options)
    {
        ArgumentNullException.ThrowIfNull(samplesMicroseconds);
        ArgumentNullException.ThrowIfNull(options);
        var count = samplesMicroseconds.Count;
        if (count >= options.MaxSamples || elapsedMilliseconds >= options.MaxWallMilliseconds)
        {
            return true;
        }

        return count >= options.MinSamples
            && RelativeErrorOfMean(samplesMicroseconds) is { } relativeError
            && relativeError <= options.TargetRelativeError;
    }

    /// <summary>1.96 · s / √n / mean: the 95% confidence half-width of the mean relative to it; null for n &lt; 2 or a mean ≤ 0.</summary>
    public static double? RelativeErrorOfMean(IReadOnlyList<double> samplesMicroseconds)
    {
        ArgumentNullException.ThrowIfNull(samplesMicroseconds);
        var count = samplesMicroseconds.Count;
        if (count < 2)
        {
            return null;
        }

        var mean = TimingStatistics.Mean(samplesMicroseconds);
        if (!(mean > 0))
        {
            return null;
        }

        return ConfidenceZ * TimingStatistics.SampleStandardDeviation(samplesMicroseconds) / Math.Sqrt(count) / mean;
    }
}
