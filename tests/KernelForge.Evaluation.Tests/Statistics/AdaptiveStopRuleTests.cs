using KernelForge.Core;
using KernelForge.Evaluation.Statistics;

namespace KernelForge.Evaluation.Tests.Statistics;

public sealed class AdaptiveStopRuleTests
{
    private static readonly TimingOptions Options = TimingOptions.Default with
    {
        MinSamples = 10,
        MaxSamples = 50,
        TargetRelativeError = 0.01,
        MaxWallMilliseconds = 3000,
    };

    [Fact]
    public void ShouldStop_SteadyButBelowMinimum_Continues()
    {
        Assert.False(AdaptiveStopRule.ShouldStop(Repeat(100, 9), elapsedMilliseconds: 1, Options));
    }

    [Fact]
    public void ShouldStop_SteadyAtMinimum_Stops()
    {
        Assert.True(AdaptiveStopRule.ShouldStop(Repeat(100, 10), elapsedMilliseconds: 1, Options));
    }

    [Fact]
    public void ShouldStop_NoisyAtMinimum_Continues()
    {
        var samples = Alternating(9, 11, 10); // relative error 0.0653 > 0.01

        Assert.False(AdaptiveStopRule.ShouldStop(samples, elapsedMilliseconds: 1, Options));
    }

    [Fact]
    public void ShouldStop_NoisyAtMaximum_Stops()
    {
        Assert.True(AdaptiveStopRule.ShouldStop(Alternating(9, 11, 50), elapsedMilliseconds: 1, Options));
        Assert.False(AdaptiveStopRule.ShouldStop(Alternating(9, 11, 49), elapsedMilliseconds: 1, Options));
    }

    [Fact]
    public void ShouldStop_WallClockSpent_StopsEvenBelowMinimum()
    {
        Assert.True(AdaptiveStopRule.ShouldStop([100.0], elapsedMilliseconds: 3000, Options));
        Assert.False(AdaptiveStopRule.ShouldStop([100.0], elapsedMilliseconds: 2999.9, Options));
    }

    [Fact]
    public void ShouldStop_ErrorExactlyAtTarget_Stops()
    {
        var samples = Alternating(9, 11, 10);
        var atTarget = Options with { TargetRelativeError = AdaptiveStopRule.RelativeErrorOfMean(samples)!.Value };

        Assert.True(AdaptiveStopRule.ShouldStop(samples, elapsedMilliseconds: 1, atTarget));
    }

    [Fact]
    public void ShouldStop_NoisyButManySamples_StopsOnceHalfWidthShrinks()
    {
        // 1.96 · s / √n / mean with s ≈ 1.0, mean 10: under 1% from n ≈ 385 on.
        var generous = Options with { MaxSamples = 10_000 };

        Assert.False(AdaptiveStopRule.ShouldStop(Alternating(9, 11, 300), 1, generous));
        Assert.True(AdaptiveStopRule.ShouldStop(Alternating(9, 11, 400), 1, generous));
    }

    [Fact]
    public void RelativeErrorOfMean_KnownSamples_MatchesFormula()
    {
        // n = 10, mean 10, s = √(10/9): 1.96 · 1.05409 / √10 / 10 = 0.065333
        Assert.Equal(1.96 * Math.Sqrt(10.0 / 9.0) / Math.Sqrt(10) / 10, AdaptiveStopRule.RelativeErrorOfMean(Alternating(9, 11, 10))!.Value, 12);
    }

    [Fact]
    public void RelativeErrorOfMean_TooFewOrNonPositiveMean_Null()
    {
        Assert.Null(AdaptiveStopRule.RelativeErrorOfMean([5.0]));
        Assert.Null(AdaptiveStopRule.RelativeErrorOfMean([0.0, 0.0]));
        Assert.False(AdaptiveStopRule.ShouldStop(Repeat(0, 10), 1, Options));
    }

    private static double[] Repeat(double value, int count) => Enumerable.Repeat(value, count).ToArray();

    private static double[] Alternating(double a, double b, int count) => Enumerable.Range(0, count).Select(i => i % 2 == 0 ? a : b).ToArray();
}
