using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.IR;

/// <summary>The verifier's rules for gathers by an index tensor: the one way besides ConvertOp that int64 values are read.</summary>
public sealed class GatherOpTests
{
    private static readonly IRValue X = new("x", Shape.Of(4, 8), DataType.Float32);
    private static readonly IRValue Labels = new("t", Shape.Of(4, 1), DataType.Int64);

    [Fact]
    public void Verify_Int64IndexOnLastAxis_NoErrors()
    {
        Assert.Empty(IRVerifier.Verify(Graph(new GatherOp(Result(Shape.Of(4, 1)), "x", "t", 1), Labels)));
    }

    [Fact]
    public void Verify_IndexWithFewerRowsAlongAnotherAxis_NoErrors()
    {
        var index = Labels with { Shape = Shape.Of(2, 3) };

        Assert.Empty(IRVerifier.Verify(Graph(new GatherOp(Result(Shape.Of(2, 3)), "x", "t", 0), index)));
    }

    [Fact]
    public void Verify_IndexLargerThanSourceOffTheAxis_Error()
    {
        var index = Labels with { Shape = Shape.Of(5, 1) };

        Assert.Contains(IRVerifier.Verify(Graph(new GatherOp(Result(Shape.Of(5, 1)), "x", "t", 1), index)), d => d.Message.Contains("no larger than the source's", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ResultNotTheIndexShape_Error()
    {
        Assert.NotEmpty(IRVerifier.Verify(Graph(new GatherOp(Result(Shape.Of(4)), "x", "t", 1), Labels)));
    }

    [Fact]
    public void Verify_IndexBroadcastOffTheAxis_NoErrors()
    {
        var index = Labels with { Shape = Shape.Of(1, 3) };

        Assert.Empty(IRVerifier.Verify(Graph(new GatherOp(Result(Shape.Of(4, 3)), "x", "t", 1), index)));
    }

    [Fact]
    public void Verify_IndexBroadcastAlongTheAxis_Error()
    {
        Assert.Contains(IRVerifier.Verify(Graph(new GatherOp(Result(Shape.Of(4, 3)), "x", "t", 1), Labels)), d => d.Message.Contains("(or 1 off the axis)", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_PickWithABroadcastIndex_Error()
    {
        var index = Labels with { Shape = Shape.Of(1, 3) };

        Assert.NotEmpty(IRVerifier.Verify(Graph(new RowSoftmaxPickOp(Result(Shape.Of(4, 3)), "x", "t", IsLog: true), index)));
    }

    [Fact]
    public void Verify_Int64Source_Error()
    {
        var graph = new IRGraph(
            [new GraphInput(X with { DataType = DataType.Int64 }, TensorRole.Input), new GraphInput(Labels, TensorRole.Input)],
            [new GatherOp(Result(Shape.Of(4, 1)), "x", "t", 1)],
            ["y"]);

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("picks float32 elements", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_FloatIndexIntoMoreThan2Pow24Positions_Error()
    {
        var wide = new IRValue("x", Shape.Of(1, IotaOp.ExactLimit + 1), DataType.Float32);
        var graph = new IRGraph(
            [new GraphInput(wide, TensorRole.Input), new GraphInput(Labels with { Shape = Shape.Of(1, 1), DataType = DataType.Float32 }, TensorRole.Input)],
            [new GatherOp(Result(Shape.Of(1, 1)), "x", "t", 1)],
            ["y"]);

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("exactly only up to 2^24", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_PickWithOneIndexRowPerSourceRow_NoErrors()
    {
        var index = Labels with { Shape = Shape.Of(4, 3) };

        Assert.Empty(IRVerifier.Verify(Graph(new RowSoftmaxPickOp(Result(Shape.Of(4, 3)), "x", "t", IsLog: true), index)));
    }

    [Fact]
    public void Verify_PickWithFewerIndexRows_Error()
    {
        var index = Labels with { Shape = Shape.Of(2, 1) };

        Assert.Contains(IRVerifier.Verify(Graph(new RowSoftmaxPickOp(Result(Shape.Of(2, 1)), "x", "t", IsLog: true), index)), d => d.Message.Contains("the source's", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_Int64ReadByAnElementwiseOp_StillRefused()
    {
        var graph = Graph(new BinaryOp(Result(Shape.Of(4, 8)), BinaryOpKind.Mul, "x", "t"), Labels);

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("reads %t of int64", StringComparison.Ordinal));
    }

    private static IRValue Result(Shape shape) => new("y", shape, DataType.Float32);

    private static IRGraph Graph(Operation operation, IRValue index) =>
        new([new GraphInput(X, TensorRole.Input), new GraphInput(index, TensorRole.Input)], [operation], ["y"]);
}
