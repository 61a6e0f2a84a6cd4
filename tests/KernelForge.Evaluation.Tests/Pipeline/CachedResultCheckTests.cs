using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Pipeline;

public sealed class CachedResultCheckTests
{
    [Fact]
    public void Check_RepeatedCallsThirtyTimesFaster_RejectedWithBothTimes()
    {
        var message = CachedResultCheck.Check(timedMedianMicroseconds: 100, freshCallMicroseconds: 3000);

        Assert.NotNull(message);
        Assert.Contains("100.00 µs", message, StringComparison.Ordinal);
        Assert.Contains("3000.00 µs", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, 900)]   // fresh call with a warm L2: faster than the flushed median
    [InlineData(1000, 2500)]  // one slow sample, under 3×
    [InlineData(5, 24)]       // tiny kernel, launch jitter: more than 3× but under the 20 µs gap
    public void Check_HonestTimings_Pass(double median, double fresh) => Assert.Null(CachedResultCheck.Check(median, fresh));

    [Fact]
    public void Check_NoFreshCall_Passes() => Assert.Null(CachedResultCheck.Check(1, null));

    [Fact]
    public void ChooseCheckedSamples_DistinctIndexesBelowTheMinimum()
    {
        for (var trial = 0; trial < 50; trial++)
        {
            var chosen = AbiRunner.ChooseCheckedSamples(10);

            Assert.Equal(AbiRunner.CheckedTimedCalls, chosen.Count);
            Assert.All(chosen, index => Assert.InRange(index, 0, 9));
        }

        Assert.Equal([0, 1], AbiRunner.ChooseCheckedSamples(2).Order());
    }
}
