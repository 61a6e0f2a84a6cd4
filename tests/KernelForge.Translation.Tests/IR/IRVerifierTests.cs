using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.IR;

public sealed class IRVerifierTests
{
    private static readonly IRValue X = new("x", Shape.Of(4, 8), DataType.Float32);
    private static readonly IRValue W = new("w", Shape.Of(8), DataType.Float32);

    [Fact]
    public void Verify_WellFormedGraph_NoErrors()
    {
        var graph = Graph([new BinaryOp(X with { Name = "y" }, BinaryOpKind.Mul, "x", "w")], "y");

        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Verify_UseBeforeDefinition_Error()
    {
        var graph = Graph([new UnaryOp(X with { Name = "a" }, UnaryOpKind.Relu, "b"), new UnaryOp(X with { Name = "b" }, UnaryOpKind.Exp, "x")], "a");

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "a" && d.Message.Contains("%b before it is defined", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_OperandDoesNotBroadcast_Error()
    {
        var graph = Graph([new BinaryOp(W with { Name = "y" }, BinaryOpKind.Add, "x", "w")], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("does not broadcast", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_MatmulInnerExtentsDiffer_Error()
    {
        var graph = Graph([new MatmulOp(X with { Name = "y", Shape = Shape.Of(4, 4) }, "x", "x", null, TransposeLeft: false, TransposeRight: false)], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "y" && d.Message.Contains("multiplies [4, 8] by [4, 8]", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_MatmulTransposedRightWithBiasNotBroadcasting_OnlyTheBiasError()
    {
        var graph = Graph([new MatmulOp(X with { Name = "y", Shape = Shape.Of(4, 4) }, "x", "x", "w", TransposeLeft: false, TransposeRight: true)], "y");

        var error = Assert.Single(IRVerifier.Verify(graph));
        Assert.Contains("a bias must broadcast", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OutputNeverDefined_Error()
    {
        Assert.Contains(IRVerifier.Verify(Graph([], "ghost")), d => d.NodeName == "ghost");
    }

    [Fact]
    public void Verify_NameDefinedTwice_Error()
    {
        var graph = Graph([new UnaryOp(X, UnaryOpKind.Relu, "x")], "x");

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("defined twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ReshapeChangesElementCount_Error()
    {
        var graph = Graph([new ReshapeOp(new IRValue("v", Shape.Of(3, 8), DataType.Float32), "x")], "v");

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("element counts differ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new long[] { 4 }, true)]
    [InlineData(new long[] { 4, 1 }, true)]
    [InlineData(new long[] { 8 }, false)]
    public void Verify_ReductionResultShape_DroppedOrKeptAxisOnly(long[] shape, bool valid)
    {
        var graph = Graph([new ReductionOp(new IRValue("s", Shape.Of(shape), DataType.Float32), ReductionKind.Sum, "x", 1)], "s");

        Assert.Equal(valid, IRVerifier.Verify(graph).Count == 0);
    }

    [Fact]
    public void Verify_LayerNormWeightOfWrongLength_Error()
    {
        var graph = Graph([new RowLayerNormOp(X with { Name = "y" }, "x", "v", null, 1e-5)], "y", new IRValue("v", Shape.Of(4), DataType.Float32));

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("scales rows of length 8", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_MixedDataTypes_Error()
    {
        var graph = Graph([new UnaryOp(new IRValue("y", Shape.Of(4, 8), DataType.Float64), UnaryOpKind.Exp, "x")], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("float64 but reads %x of float32", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ArgmaxToInt64_NoErrors()
    {
        var graph = Graph([new ReductionOp(new IRValue("y", Shape.Of(4), DataType.Int64), ReductionKind.ArgMax, "x", 1)], "y");

        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Verify_ArgmaxToFloat32_Error()
    {
        var graph = Graph([new ReductionOp(new IRValue("y", Shape.Of(4), DataType.Float32), ReductionKind.ArgMin, "x", 1)], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "y" && d.Message.Contains("index reduction", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_SumToInt64_Error()
    {
        var graph = Graph([new ReductionOp(new IRValue("y", Shape.Of(4), DataType.Int64), ReductionKind.Sum, "x", 1)], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "y" && d.Message.Contains("reads %x of float32", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_PoolWithTorchsOutputShape_NoErrors()
    {
        var graph = Graph([Pool(Shape.Of(4, 4))], "y");

        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Verify_PoolWithAnotherOutputShape_Error()
    {
        var graph = Graph([Pool(Shape.Of(4, 3))], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "y" && d.Message.Contains("expected [4, 4]", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_AveragePoolDilated_Error()
    {
        var graph = Graph([Pool(Shape.Of(4, 4)) with { Kind = PoolKind.Average, Dilation = [2] }], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("average pooling undilated", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_AdaptivePoolWithLeadingAxesThenOutputSize_NoErrors()
    {
        var graph = Graph([AdaptivePool(Shape.Of(4, 3), 3)], "y");

        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Verify_AdaptivePoolWithAnotherOutputShape_Error()
    {
        var graph = Graph([AdaptivePool(Shape.Of(4, 5), 3)], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "y" && d.Message.Contains("adaptive_max_pool(%x, output_size=[3]) of [4, 8] into [4, 5]", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_AdaptivePoolToAnEmptyOutput_Error()
    {
        var graph = Graph([AdaptivePool(Shape.Of(4, 0), 0)], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "y" && d.Message.Contains("output extents at least 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_AdaptivePoolWithoutALeadingAxis_Error()
    {
        var graph = Graph([new AdaptivePoolOp(X with { Name = "y", Shape = Shape.Of(2, 3) }, PoolKind.Average, "x", [2, 3])], "y");

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "y" && d.Message.Contains("after a leading one", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ScanReadingAViewInsideItsSourceIntoABorderThatFits_NoErrors()
    {
        var scan = new ScanOp(X with { Name = "y", Shape = Shape.Of(5, 8) }, ScanKind.Sum, "x", 1, Reverse: false)
        {
            SourceView = new StridedView(Shape.Of(4, 7), 1, [8, 1]),
            Border = new ConstantBorder(Shape.Of(4, 7), [1, 1], 0.0),
        };

        Assert.Empty(IRVerifier.Verify(Graph([scan], "y")));
    }

    [Fact]
    public void Verify_ScanViewReadingPastItsSource_Error()
    {
        var scan = new ScanOp(X with { Name = "y" }, ScanKind.Sum, "x", 1, Reverse: false) { SourceView = new StridedView(Shape.Of(4, 8), 1, [8, 1]) };

        Assert.Contains(IRVerifier.Verify(Graph([scan], "y")), d => d.NodeName == "y" && d.Message.Contains("a view of it inside the source", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ScanBorderLargerThanItsResult_Error()
    {
        var scan = new ScanOp(X with { Name = "y" }, ScanKind.Sum, "x", 1, Reverse: false) { Border = new ConstantBorder(Shape.Of(4, 8), [0, 1], 0.0) };

        Assert.Contains(IRVerifier.Verify(Graph([scan], "y")), d => d.NodeName == "y" && d.Message.Contains("room for it in the result", StringComparison.Ordinal));
    }

    /// <summary>A 1-d max pool of x [4, 8] (4 planes of 8), kernel 2, stride 2: torch gives [4, 4].</summary>
    private static PoolOp Pool(Shape result) =>
        new(X with { Name = "y", Shape = result }, PoolKind.Max, "x", [2], [2], [0], [1], CeilMode: false, CountIncludePad: true, DivisorOverride: null);

    /// <summary>An adaptive max pool of x [4, 8] (4 planes of 8) to <paramref name="outputSize"/>: torch gives [4, outputSize].</summary>
    private static AdaptivePoolOp AdaptivePool(Shape result, long outputSize) =>
        new(X with { Name = "y", Shape = result }, PoolKind.Max, "x", [outputSize]);

    private static IRGraph Graph(Operation[] operations, string output, IRValue? extra = null) => new(
        [new GraphInput(X, TensorRole.Input), new GraphInput(extra ?? W, TensorRole.Parameter)],
        [.. operations],
        [output]);
}
