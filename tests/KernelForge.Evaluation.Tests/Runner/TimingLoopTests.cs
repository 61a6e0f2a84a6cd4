using KernelForge.Core;
using KernelForge.Evaluation.Runner;
using Microsoft.Extensions.Time.Testing;

namespace KernelForge.Evaluation.Tests.Runner;

public sealed class TimingLoopTests
{
    [Fact]
    public void Run_ThreeInputSets_RotatesZeroOneTwo()
    {
        var sets = new List<int>();

        var result = TimingLoop.Run(7, 3, set => { sets.Add(set); return 10.0; }, (_, _) => false, new FakeTimeProvider());

        Assert.Equal([0, 1, 2, 0, 1, 2, 0], sets);
        Assert.Equal(7, result.SamplesMicroseconds.Count);
    }

    [Fact]
    public void Run_StopRuleSaysStop_StopsAtOnceAndKeepsSamplesInOrder()
    {
        var next = 0.0;

        var result = TimingLoop.Run(100, 2, _ => ++next, (samples, _) => samples.Count == 4, new FakeTimeProvider());

        Assert.Equal([1.0, 2.0, 3.0, 4.0], result.SamplesMicroseconds);
    }

    [Fact]
    public void Run_StopRuleSeesWallTime_AndResultReportsIt()
    {
        var clock = new FakeTimeProvider();
        var seen = new List<double>();

        var result = TimingLoop.Run(
            100,
            1,
            _ =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
                return 5.0;
            },
            (_, wallMilliseconds) =>
            {
                seen.Add(wallMilliseconds);
                return wallMilliseconds >= 35;
            },
            clock);

        Assert.Equal([10.0, 20.0, 30.0, 40.0], seen);
        Assert.Equal(4, result.SamplesMicroseconds.Count);
        Assert.Equal(40.0, result.WallMilliseconds);
    }

    [Fact]
    public void Run_StopRuleNeverStops_MaxSamplesIsAHardCap()
    {
        var result = TimingLoop.Run(5, 3, _ => 1.0, (_, _) => false, new FakeTimeProvider());

        Assert.Equal(5, result.SamplesMicroseconds.Count);
    }

    [Fact]
    public void DefaultStopRule_SteadySamples_StopsAtMinSamples()
    {
        var options = TimingOptions.Default with { MinSamples = 10, MaxSamples = 500, TargetRelativeError = 0.01 };

        var result = TimingLoop.Run(options.MaxSamples, 3, _ => 100.0, TimingLoop.DefaultStopRule(options), new FakeTimeProvider());

        Assert.Equal(10, result.SamplesMicroseconds.Count);
    }

    [Fact]
    public void DefaultStopRule_NoisySamples_RunsToMaxSamples()
    {
        var options = TimingOptions.Default with { MinSamples = 10, MaxSamples = 60, TargetRelativeError = 0.001 };
        var n = 0;

        var result = TimingLoop.Run(1000, 3, _ => n++ % 2 == 0 ? 50.0 : 150.0, TimingLoop.DefaultStopRule(options), new FakeTimeProvider());

        Assert.Equal(60, result.SamplesMicroseconds.Count);
    }

    [Fact]
    public void DefaultStopRule_PastMaxWall_Stops()
    {
        var options = TimingOptions.Default with { MinSamples = 10, MaxWallMilliseconds = 100 };
        var rule = TimingLoop.DefaultStopRule(options);

        Assert.True(rule([1.0, 9.0], 100.0));
        Assert.False(rule([1.0, 9.0], 99.0));
    }

    [Fact]
    public void DefaultStopRule_HalfWidthAgainstTarget_FollowsTheFormula()
    {
        // mean 100, sample stdev 10, n = 16: half-width 1.96 × 10 / 4 = 4.9, relative 0.049.
        double[] samples = [.. Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? 100.0 - 10 * Math.Sqrt(15.0 / 16) : 100.0 + 10 * Math.Sqrt(15.0 / 16))];
        var options = TimingOptions.Default with { MinSamples = 10 };

        Assert.True(TimingLoop.DefaultStopRule(options with { TargetRelativeError = 0.05 })(samples, 0));
        Assert.False(TimingLoop.DefaultStopRule(options with { TargetRelativeError = 0.048 })(samples, 0));
    }
}
