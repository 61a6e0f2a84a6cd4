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

    [Fact]
    public void CheckCompute_UnderTheFlopFloor_FlaggedNotImplausible()
    {
        // 2e12 flops at 1e15 flop/s: floor 2000 µs. A flag (a structure-exploiting kernel does fewer flops), not implausible_time.
        var conclusion = ImplausibilityCheck.CheckCompute(1500, 2_000_000_000_000, 1e15);

        Assert.NotNull(conclusion);
        Assert.Equal(TimingConclusion.BelowReferenceComputeFloor, conclusion.Code);
        Assert.NotEqual(FailureKind.ImplausibleTime.Value, conclusion.Code);
        Assert.Contains("below the reference's compute floor 2000 µs", conclusion.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2000)]
    [InlineData(1800.5)]
    public void CheckCompute_AtOrWithinTenPercentUnderFloor_Plausible(double median)
    {
        Assert.Null(ImplausibilityCheck.CheckCompute(median, 2_000_000_000_000, 1e15));
    }

    [Fact]
    public void PeakComputeRate_H100_Fp8DensePeakAtMaxClock()
    {
        var h100 = Environment("9.0", multiprocessors: 132, maxClockMegahertz: 1980);

        // 8192 flops/clk/SM x 132 SMs x 1.98 GHz = 2.14 PFLOPS: above the datasheet's 1979 TFLOPS (quoted at 1830 MHz).
        Assert.Equal(8192.0 * 132 * 1980e6, PeakComputeRate.FlopsPerSecond(h100));
    }

    [Fact]
    public void PeakComputeRate_UnknownArchitectureOrSmCount_NoRate()
    {
        Assert.Null(PeakComputeRate.FlopsPerSecond(Environment("12.0", 170, 2400)));
        Assert.Null(PeakComputeRate.FlopsPerSecond(Environment("9.0", null, 1980)));
    }

    private static EnvironmentInfo Environment(string capability, int? multiprocessors, int? maxClockMegahertz) =>
        new("GPU", capability, null, null, null, null, null, null, null, null, maxClockMegahertz, null, null, multiprocessors, null, null, null, "host");
}
