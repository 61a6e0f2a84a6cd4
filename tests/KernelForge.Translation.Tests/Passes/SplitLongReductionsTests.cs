using KernelForge.Core;
using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class SplitLongReductionsTests
{
    [Fact]
    public void Run_MeanOfAWholeTensor_ChunkMeansThenTheirMean()
    {
        var graph = new SplitLongReductions().Run(Graph(Shape.Of(1L << 20), ReductionKind.Mean, axis: 0, Shape.Scalar));

        Assert.Collection(graph.Operations,
            o => Assert.Equal(Shape.Of(512, 2048), Assert.IsType<ReshapeOp>(o).Result.Shape),
            o => Assert.Equal((ReductionKind.Mean, 1, Shape.Of(512)), Reduction(o)),
            o => Assert.Equal((ReductionKind.Mean, 0, Shape.Scalar), Reduction(o)));
        Assert.Equal("r", graph.Operations[^1].Result.Name);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_InnerAxisKeepdim_SplitsAlongThatAxisAndKeepsTheShape()
    {
        var graph = new SplitLongReductions().Run(Graph(Shape.Of(2, 1L << 17, 3), ReductionKind.Sum, axis: 1, Shape.Of(2, 1, 3)));

        Assert.Equal(Shape.Of(2, 64, 2048, 3), graph.Operations[0].Result.Shape);  // chunks of at least 2048
        Assert.Equal((ReductionKind.Sum, 1, Shape.Of(2, 1, 3)), Reduction(graph.Operations[^1]));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Theory]
    [InlineData(ReductionKind.Variance)]
    [InlineData(ReductionKind.ArgMax)]
    public void Run_KindsWithoutAPartialForm_Unchanged(ReductionKind kind)
    {
        var graph = Graph(Shape.Of(1L << 20), kind, axis: 0, Shape.Scalar);

        Assert.Single(new SplitLongReductions().Run(graph).Operations);
    }

    [Theory]
    [InlineData(4096, 1L << 16)]   // many outputs already
    [InlineData(4, 60000)]         // short axis
    [InlineData(1, 65537)]         // prime length: no divisor
    public void Run_ManyOutputsShortAxisOrPrimeLength_Unchanged(long rows, long length)
    {
        var graph = Graph(Shape.Of(rows, length), ReductionKind.Sum, axis: 1, Shape.Of(rows));

        Assert.Single(new SplitLongReductions().Run(graph).Operations);
    }

    private static (ReductionKind, int, Shape) Reduction(Operation operation) =>
        Assert.IsType<ReductionOp>(operation) is var r ? (r.Kind, r.Axis, r.Result.Shape) : default;

    private static IRGraph Graph(Shape source, ReductionKind kind, int axis, Shape result)
    {
        var x = new IRValue("x", source, DataType.Float32);
        var type = ReductionOp.IsIndexKind(kind) ? DataType.Int64 : DataType.Float32;
        return new IRGraph([new GraphInput(x, TensorRole.Input)], [new ReductionOp(new IRValue("r", result, type), kind, "x", axis)], ["r"]);
    }
}
