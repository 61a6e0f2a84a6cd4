using KernelForge.Core;
using KernelForge.Evaluation.Statistics;

namespace KernelForge.Evaluation.Tests.Statistics;

public sealed class ImplausibilityCheckTests
{
    private const long Bytes = 1_000_000_000;        // 1 GB must move
    private const double Bandwidth = 1_000_000_000_000; // 1 TB/s measured → floor 1000 µs

    [Fact]
    public void MemoryFloorMicroseconds_BytesOverBandwidth()
    {
        Assert.Equal(1000, ImplausibilityCheck.MemoryFloorMicroseconds(Bytes, Bandwidth), 9);
    }

    [Theory]
    [InlineData(1200)]
    [InlineData(1000)]
    [InlineData(950)]
    [InlineData(900.0001)]
    public void Check_AtOrWithinTenPercentUnderFloor_Plausible(double median)
    {
        Assert.Null(ImplausibilityCheck.Check(median, Bytes, Bandwidth));
    }

    [Fact]
    public void Check_FarUnderFloor_ImplausibleWithFailureKindCode()
    {
        var conclusion = ImplausibilityCheck.Check(850, Bytes, Bandwidth);

        Assert.NotNull(conclusion);
        Assert.Equal(FailureKind.ImplausibleTime.Value, conclusion.Code);
        Assert.Contains("below the memory floor 1000 µs", conclusion.Message, StringComparison.Ordinal);
        Assert.Contains("1000 GB/s", conclusion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BadBandwidth_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImplausibilityCheck.Check(1, Bytes, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImplausibilityCheck.Check(1, Bytes, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImplausibilityCheck.Check(1, -1, Bandwidth));
    }
}
