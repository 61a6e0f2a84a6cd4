using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class FoldTransposesTests
{
    [Fact]
    public void Run_LinearWeightPermute_FoldedIntoAddmmAndRemoved()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadGraph("linear_relu"));

        var matmul = graph.Operations.OfType<MatmulOp>().Single();
        Assert.Equal(("x", "p_fc_weight", false, true), (matmul.Left, matmul.Right, matmul.TransposeLeft, matmul.TransposeRight));
        Assert.DoesNotContain(graph.Operations, o => o is TransposeOp);
        Assert.Contains("permute", matmul.Origins);
    }

    [Fact]
    public void Run_TransposeThroughSameShapeViews_FoldedIntoBmm()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadGraph("bmm_transposed"));

        var matmul = Assert.IsType<MatmulOp>(Assert.Single(graph.Operations));
        Assert.Equal(("q", "k", false, true), (matmul.Left, matmul.Right, matmul.TransposeLeft, matmul.TransposeRight));
    }

    [Fact]
    public void Run_TransposeOfTranspose_FlagFlipsBack()
    {
        var a = new IRValue("a", Shape.Of(6, 4), Core.DataType.Float32);
        var b = new IRValue("b", Shape.Of(4, 5), Core.DataType.Float32);
        var graph = new IRGraph(
            [new GraphInput(a, Core.TensorRole.Input), new GraphInput(b, Core.TensorRole.Input)],
            [
                new TransposeOp(a with { Name = "t1", Shape = Shape.Of(4, 6) }, "a"),
                new TransposeOp(a with { Name = "t2" }, "t1"),
                new MatmulOp(a with { Name = "mm", Shape = Shape.Of(6, 5) }, "t2", "b", null, false, false),
            ],
            ["mm"]);

        var folded = new EliminateDeadValues().Run(new FoldTransposes().Run(graph));

        var matmul = Assert.IsType<MatmulOp>(Assert.Single(folded.Operations));
        Assert.Equal(("a", false), (matmul.Left, matmul.TransposeLeft));
        Assert.Empty(IRVerifier.Verify(folded));
    }

    [Fact]
    public void Run_TransposeAlsoReadByRelu_KeptForTheRelu()
    {
        var graph = TestFiles.ReadNodes(
            """
            {"name": "t", "target": "aten.t.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [8, 4], "dtype": "float32"},
            {"name": "mm", "target": "aten.mm.default", "args": [{"node": "x"}, {"node": "t"}], "kwargs": {}, "shape": [4, 4], "dtype": "float32"},
            {"name": "relu", "target": "aten.relu.default", "args": [{"node": "t"}], "kwargs": {}, "shape": [8, 4], "dtype": "float32"}
            """, "mm", "relu");

        var folded = new EliminateDeadValues().Run(new FoldTransposes().Run(graph));

        Assert.Contains(folded.Operations, o => o is TransposeOp);
        Assert.True(folded.Operations.OfType<MatmulOp>().Single().TransposeRight);
    }
}
