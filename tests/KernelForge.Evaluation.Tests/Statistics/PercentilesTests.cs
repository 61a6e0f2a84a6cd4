using KernelForge.Evaluation.Statistics;

namespace KernelForge.Evaluation.Tests.Statistics;

public sealed class PercentilesTests
{
    [Fact]
    public void Quartiles_EvenCount_MatchNumpyLinear()
    {
        // numpy.percentile([7, 15, 36, 39, 40, 41], [25, 50, 75]) == [20.25, 37.5, 39.75]
        double[] samples = [41, 7, 39, 15, 40, 36];

        Assert.Equal(20.25, Percentiles.LowerQuartile(samples), 12);
        Assert.Equal(37.5, Percentiles.Median(samples), 12);
        Assert.Equal(39.75, Percentiles.UpperQuartile(samples), 12);
    }

    [Fact]
    public void Quartiles_OddCount_LandOnSamples()
    {
        double[] samples = [5, 1, 4, 2, 3];

        Assert.Equal(2, Percentiles.LowerQuartile(samples));
        Assert.Equal(3, Percentiles.Median(samples));
        Assert.Equal(4, Percentiles.UpperQuartile(samples));
    }

    [Fact]
    public void Quantile_FourValues_InterpolatesLinearly()
    {
        double[] samples = [1, 2, 3, 4];

        Assert.Equal(1.75, Percentiles.Quantile(samples, 0.25), 12);
        Assert.Equal(2.5, Percentiles.Quantile(samples, 0.5), 12);
        Assert.Equal(3.7, Percentiles.Quantile(samples, 0.9), 12);
    }

    [Fact]
    public void Quantile_Extremes_AreMinAndMax()
    {
        double[] samples = [3, 9, 1];

        Assert.Equal(1, Percentiles.Quantile(samples, 0));
        Assert.Equal(9, Percentiles.Quantile(samples, 1));
    }

    [Fact]
    public void Quantile_OneSample_IsThatSample()
    {
        Assert.Equal(42, Percentiles.Median([42.0]));
        Assert.Equal(42, Percentiles.Quantile([42.0], 0.99));
    }

    [Fact]
    public void Quantile_DoesNotReorderInput()
    {
        double[] samples = [3, 1, 2];

        Percentiles.Median(samples);

        Assert.Equal([3, 1, 2], samples);
    }

    [Fact]
    public void Quantile_EmptyOrBadProbability_Throws()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.Median([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Quantile([1.0], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Quantile([1.0], double.NaN));
    }
}
