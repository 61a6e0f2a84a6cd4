using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.IR;

/// <summary>The windows of adaptive pooling, as ATen's <c>start_index</c> and <c>end_index</c> give them.</summary>
public sealed class AdaptivePoolOpTests
{
    [Theory]
    [InlineData(10, 4, new long[] { 0, 2, 5, 7 }, new long[] { 3, 5, 8, 10 })]
    [InlineData(13, 6, new long[] { 0, 2, 4, 6, 8, 10 }, new long[] { 3, 5, 7, 9, 11, 13 })]
    [InlineData(5, 7, new long[] { 0, 0, 1, 2, 2, 3, 4 }, new long[] { 1, 2, 3, 3, 4, 5, 5 })]
    [InlineData(12, 4, new long[] { 0, 3, 6, 9 }, new long[] { 3, 6, 9, 12 })]
    public void Window_AsTorchStartAndEndIndex(long input, long outputs, long[] starts, long[] ends)
    {
        Assert.Equal(starts, Enumerable.Range(0, (int)outputs).Select(o => AdaptivePoolOp.WindowStart(o, input, outputs)));
        Assert.Equal(ends, Enumerable.Range(0, (int)outputs).Select(o => AdaptivePoolOp.WindowEnd(o, input, outputs)));
    }

    [Fact]
    public void Describe_NamesKindAndOutputSize()
    {
        var pool = new AdaptivePoolOp(new IRValue("y", Shape.Of(2, 4, 5), Core.DataType.Float32), PoolKind.Average, "x", [4, 5]);

        Assert.Equal("adaptive_avg_pool(%x, output_size=[4, 5])", pool.Describe());
        Assert.Equal(Shape.Of(2, 4, 5), pool.OutputShape(Shape.Of(2, 10, 13)));
    }
}
