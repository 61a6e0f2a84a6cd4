using System.Globalization;
using KernelForge.Core;

namespace KernelForge.Evaluation.Statistics;

/// <summary>Looks at one timing summary for reasons to distrust it, the way BenchmarkDotNet's analysers do.</summary>
/// <remarks>Conclusions are warnings stored with the result; none of them rejects a candidate on its own.</remarks>
public static class TimingAnalysis
{
    /// <summary>IQR / median above this is high dispersion: a 10% spread hides speedups of that order.</summary>
    public const double HighDispersionRatio = 0.1;

    /// <summary>
    /// A median within this factor of the empty-kernel median is mostly launch and event overhead
    /// (BenchmarkDotNet's <c>ZeroMeasurementAnalyser</c> makes the same call against its overhead run).
    /// </summary>
    public const double LaunchFloorFactor = 2.0;

    /// <summary>Each side of a bimodal split must hold at least this fraction of the samples, so a few outliers are not a mode.</summary>
    public const double BimodalMinimumGroupFraction = 0.1;

    /// <summary>… and at least this many samples.</summary>
    public const int BimodalMinimumGroupSamples = 3;

    /// <summary>The gap between the groups must be at least this fraction of the median, so tiny gaps do not count.</summary>
    public const double BimodalMinimumGapRatio = 0.05;

    /// <summary>The gap must be this many times wider than the wider group's IQR: the groups are separate, not a tail.</summary>
    public const double BimodalGapToSpreadRatio = 3.0;

    /// <summary>
    /// Conclusions about <paramref name="timing"/>, taken under <paramref name="options"/>; empty when nothing looks wrong.
    /// <paramref name="emptyKernelMedianMicroseconds"/> is the session's empty-kernel (launch floor) median, null when not measured.
    /// </summary>
    public static IReadOnlyList<TimingConclusion> Analyze(TimingSummary timing, TimingOptions options, double? emptyKernelMedianMicroseconds)
    {
        ArgumentNullException.ThrowIfNull(timing);
        ArgumentNullException.ThrowIfNull(options);
        var conclusions = new List<TimingConclusion>();
        var median = timing.MedianMicroseconds;

        if (timing.SampleCount < options.MinSamples)
        {
            conclusions.Add(new(
                TimingConclusion.TooFewSamples,
                Format($"Only {timing.SampleCount} samples (minimum {options.MinSamples}): the loop hit its {options.MaxWallMilliseconds} ms limit; the statistics are rough.")));
        }

        if (median > 0 && timing.InterquartileRangeMicroseconds / median > HighDispersionRatio)
        {
            conclusions.Add(new(
                TimingConclusion.HighDispersion,
                Format($"IQR is {100 * timing.InterquartileRangeMicroseconds / median:0.#}% of the median ({timing.InterquartileRangeMicroseconds:0.###} of {median:0.###} µs): differences below that are noise.")));
        }

        if (emptyKernelMedianMicroseconds is { } floor && floor > 0 && median <= LaunchFloorFactor * floor)
        {
            conclusions.Add(new(
                TimingConclusion.NearLaunchFloor,
                Format($"Median {median:0.###} µs is within {LaunchFloorFactor:0.#}× of the empty-kernel time {floor:0.###} µs: it cannot be told apart from launch overhead; time a larger problem.")));
        }

        if (FindBimodalSplit(timing.SamplesMicroseconds) is { } split)
        {
            conclusions.Add(new(
                TimingConclusion.Bimodal,
                Format($"Samples form two groups, {split.LowerCount} around {split.LowerMedian:0.###} µs and {split.UpperCount} around {split.UpperMedian:0.###} µs: look for clock changes or contention on the GPU.")));
        }

        return conclusions;
    }

    /// <summary>
    /// The widest gap between neighbouring sorted samples that leaves enough samples on each side, when it passes
    /// both bimodality thresholds; null otherwise. Deliberately simple: it finds two clear groups, not subtle mixtures.
    /// </summary>
    internal static BimodalSplit? FindBimodalSplit(IReadOnlyList<double> samplesMicroseconds)
    {
        var sorted = samplesMicroseconds.ToArray();
        Array.Sort(sorted);
        var minimumGroup = Math.Max(BimodalMinimumGroupSamples, (int)Math.Ceiling(BimodalMinimumGroupFraction * sorted.Length));
        if (sorted.Length < 2 * minimumGroup)
        {
            return null;
        }

        // The gap after index i splits [0..i] from [i+1..]; both must hold minimumGroup samples.
        var best = minimumGroup - 1;
        for (var i = minimumGroup; i <= sorted.Length - minimumGroup - 1; i++)
        {
            if (sorted[i + 1] - sorted[i] > sorted[best + 1] - sorted[best])
            {
                best = i;
            }
        }

        var gap = sorted[best + 1] - sorted[best];
        var lower = sorted.AsSpan(0, best + 1);
        var upper = sorted.AsSpan(best + 1);
        var spread = Math.Max(InterquartileRange(lower), InterquartileRange(upper));
        var median = Percentiles.QuantileOfSorted(sorted, 0.5);
        if (gap < BimodalMinimumGapRatio * median || gap < BimodalGapToSpreadRatio * spread)
        {
            return null;
        }

        return new BimodalSplit(lower.Length, Percentiles.QuantileOfSorted(lower, 0.5), upper.Length, Percentiles.QuantileOfSorted(upper, 0.5));
    }

    private static double InterquartileRange(ReadOnlySpan<double> sorted) =>
        Percentiles.QuantileOfSorted(sorted, 0.75) - Percentiles.QuantileOfSorted(sorted, 0.25);

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    /// <summary>Two groups of samples: their sizes and medians.</summary>
    internal sealed record BimodalSplit(int LowerCount, double LowerMedian, int UpperCount, double UpperMedian);
}
