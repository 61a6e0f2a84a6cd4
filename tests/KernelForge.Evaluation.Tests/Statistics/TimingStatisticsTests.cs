using KernelForge.Evaluation.Statistics;

namespace KernelForge.Evaluation.Tests.Statistics;

public sealed class TimingStatisticsTests
{
    [Fact]
    public void Summarize_FiveSamples_AllStatistics()
    {
        double[] samples = [10, 12, 11, 13, 14];

        var summary = TimingStatistics.Summarize(samples, l2Flushed: true);

        Assert.Equal(samples, summary.SamplesMicroseconds);
        Assert.Equal(5, summary.SampleCount);
        Assert.Equal(12, summary.MedianMicroseconds);
        Assert.Equal(11, summary.LowerQuartileMicroseconds);
        Assert.Equal(13, summary.UpperQuartileMicroseconds);
        Assert.Equal(2, summary.InterquartileRangeMicroseconds);
        Assert.Equal(10, summary.MinMicroseconds);
        Assert.Equal(12, summary.MeanMicroseconds, 12);
        Assert.Equal(Math.Sqrt(2.5), summary.StandardDeviationMicroseconds, 12); // Σ(x−x̄)² = 10, n − 1 = 4
        Assert.True(summary.L2Flushed);
    }

    [Fact]
    public void Summarize_KeepsSamplesInMeasuredOrderAndCopiesThem()
    {
        var samples = new List<double> { 5, 3, 4 };

        var summary = TimingStatistics.Summarize(samples, l2Flushed: false);
        samples[0] = 100;

        Assert.Equal([5, 3, 4], summary.SamplesMicroseconds);
        Assert.False(summary.L2Flushed);
    }

    [Fact]
    public void Summarize_OneSample_ZeroDeviation()
    {
        var summary = TimingStatistics.Summarize([7.5], l2Flushed: true);

        Assert.Equal(7.5, summary.MedianMicroseconds);
        Assert.Equal(7.5, summary.LowerQuartileMicroseconds);
        Assert.Equal(0, summary.StandardDeviationMicroseconds);
    }

    [Fact]
    public void SampleStandardDeviation_LargeOffset_KeepsPrecision()
    {
        // Var of {1e9 + 1, 1e9 + 2, 1e9 + 3} is 1; a one-pass Σx² − n·x̄² loses it entirely.
        Assert.Equal(1.0, TimingStatistics.SampleStandardDeviation([1e9 + 1, 1e9 + 2, 1e9 + 3]), 9);
    }

    [Fact]
    public void Summarize_EmptyOrNonFinite_Throws()
    {
        Assert.Throws<ArgumentException>(() => TimingStatistics.Summarize([], l2Flushed: true));
        Assert.Throws<ArgumentException>(() => TimingStatistics.Summarize([1, double.NaN], l2Flushed: true));
        Assert.Throws<ArgumentException>(() => TimingStatistics.Summarize([1, double.PositiveInfinity], l2Flushed: true));
    }
}
