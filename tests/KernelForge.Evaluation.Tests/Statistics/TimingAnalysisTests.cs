using System.Globalization;
using KernelForge.Core;
using KernelForge.Evaluation.Statistics;

namespace KernelForge.Evaluation.Tests.Statistics;

public sealed class TimingAnalysisTests
{
    private static readonly TimingOptions Options = TimingOptions.Default with { MinSamples = 10 };

    [Fact]
    public void Analyze_TightSamplesFarAboveFloor_NoConclusions()
    {
        var timing = Summarize(Normal(mean: 100, standardDeviation: 0.5, count: 200, seed: 1));

        Assert.Empty(TimingAnalysis.Analyze(timing, Options, emptyKernelMedianMicroseconds: 5));
    }

    [Fact]
    public void Analyze_WideSpread_HighDispersion()
    {
        var timing = Summarize(Normal(mean: 100, standardDeviation: 15, count: 200, seed: 2)); // IQR ≈ 1.35σ ≈ 20% of the median

        var conclusion = Assert.Single(TimingAnalysis.Analyze(timing, Options, null), c => c.Code == TimingConclusion.HighDispersion);
        Assert.Contains("IQR is", conclusion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_SpreadJustUnderThreshold_NotDispersed()
    {
        var timing = Summarize(Normal(mean: 100, standardDeviation: 5, count: 400, seed: 3)); // IQR ≈ 6.7% of the median

        Assert.DoesNotContain(TimingAnalysis.Analyze(timing, Options, null), c => c.Code == TimingConclusion.HighDispersion);
    }

    [Theory]
    [InlineData(8.0, 5.0, true)]
    [InlineData(10.0, 5.0, true)]
    [InlineData(10.5, 5.0, false)]
    public void Analyze_MedianNearEmptyKernel_NearLaunchFloor(double median, double floor, bool expected)
    {
        var timing = Summarize(Enumerable.Repeat(median, 20).ToArray());

        var conclusions = TimingAnalysis.Analyze(timing, Options, floor);

        Assert.Equal(expected, conclusions.Any(c => c.Code == TimingConclusion.NearLaunchFloor));
    }

    [Fact]
    public void Analyze_FloorNotMeasured_NoFloorConclusion()
    {
        var timing = Summarize(Enumerable.Repeat(1.0, 20).ToArray());

        Assert.DoesNotContain(TimingAnalysis.Analyze(timing, Options, null), c => c.Code == TimingConclusion.NearLaunchFloor);
    }

    [Fact]
    public void Analyze_FewerThanMinimum_TooFewSamples()
    {
        var timing = Summarize([100, 100, 100, 100, 100]);

        var conclusion = Assert.Single(TimingAnalysis.Analyze(timing, Options, null));
        Assert.Equal(TimingConclusion.TooFewSamples, conclusion.Code);
        Assert.Contains("Only 5 samples (minimum 10)", conclusion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_TwoSeparateGroups_Bimodal()
    {
        var samples = Normal(100, 1, 60, seed: 4).Concat(Normal(150, 1, 40, seed: 5)).ToArray();

        var conclusion = Assert.Single(TimingAnalysis.Analyze(Summarize(samples), Options, null), c => c.Code == TimingConclusion.Bimodal);
        Assert.Contains("two groups, 60 around", conclusion.Message, StringComparison.Ordinal);
        Assert.Contains("and 40 around", conclusion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_FewOutliers_NotBimodal()
    {
        var samples = Normal(100, 1, 97, seed: 6).Concat([300.0, 310, 305]).ToArray();

        Assert.DoesNotContain(TimingAnalysis.Analyze(Summarize(samples), Options, null), c => c.Code == TimingConclusion.Bimodal);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void Analyze_OneNormalMode_NotBimodal(int seed)
    {
        var timing = Summarize(Normal(100, 5, 300, seed));

        Assert.DoesNotContain(TimingAnalysis.Analyze(timing, Options, null), c => c.Code == TimingConclusion.Bimodal);
    }

    [Fact]
    public void Analyze_SkewedTail_NotBimodal()
    {
        // Right-skewed, as GPU timings are: exponential noise on top of a floor.
        var random = new Random(10);
        var samples = Enumerable.Range(0, 300).Select(_ => 100 - (3 * Math.Log(1 - random.NextDouble()))).ToArray();

        Assert.DoesNotContain(TimingAnalysis.Analyze(Summarize(samples), Options, null), c => c.Code == TimingConclusion.Bimodal);
    }

    [Fact]
    public void Analyze_Messages_UseInvariantCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var timing = Summarize(Enumerable.Repeat(7.25, 20).ToArray());

            var conclusion = Assert.Single(TimingAnalysis.Analyze(timing, Options, 5.5));

            Assert.Contains("7.25 µs", conclusion.Message, StringComparison.Ordinal);
            Assert.Contains("5.5 µs", conclusion.Message, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static TimingSummary Summarize(double[] samples) => TimingStatistics.Summarize(samples, l2Flushed: true);

    private static double[] Normal(double mean, double standardDeviation, int count, int seed)
    {
        // Box–Muller on a seeded Random: the same samples on every run.
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => mean + (standardDeviation * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))
            .ToArray();
    }
}
