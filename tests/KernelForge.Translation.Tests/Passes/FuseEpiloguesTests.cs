using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class FuseEpiloguesTests
{
    private const string Linear = """
        {"name": "wt", "target": "aten.permute.default", "args": [{"node": "x"}, [1, 0]], "kwargs": {}, "shape": [8, 4], "dtype": "float32"},
        {"name": "mm", "target": "aten.mm.default", "args": [{"node": "x"}, {"node": "wt"}], "kwargs": {}, "shape": [4, 4], "dtype": "float32"}
        """;

    [Fact]
    public void Run_ChainAfterMatmul_BecomesItsEpilogueUnderTheChainsName()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(Linear + """
            ,
            {"name": "r", "target": "aten.relu.default", "args": [{"node": "mm"}], "kwargs": {}, "shape": [4, 4], "dtype": "float32"},
            {"name": "out", "target": "aten.mul.Tensor", "args": [{"node": "r"}, 2.0], "kwargs": {}, "shape": [4, 4], "dtype": "float32"}
            """, "out"));

        var matmul = Assert.IsType<MatmulOp>(Assert.Single(graph.Operations));
        Assert.Equal("out", matmul.Result.Name);
        Assert.Equal("mul(relu(%@acc), 2)", matmul.Epilogue!.ToString());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_ProductAlsoReturned_NoEpilogue()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(Linear + """
            ,
            {"name": "r", "target": "aten.relu.default", "args": [{"node": "mm"}], "kwargs": {}, "shape": [4, 4], "dtype": "float32"}
            """, "r", "mm"));

        Assert.Null(Assert.Single(graph.Operations.OfType<MatmulOp>()).Epilogue);
        Assert.Single(graph.Operations.OfType<FusedPointwiseOp>());
    }

    [Fact]
    public void Run_ProductReadByAReduction_NoEpilogue()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(Linear + """
            ,
            {"name": "s", "target": "aten.sum.dim_IntList", "args": [{"node": "mm"}, [1]], "kwargs": {}, "shape": [4], "dtype": "float32"}
            """, "s"));

        Assert.Null(Assert.Single(graph.Operations.OfType<MatmulOp>()).Epilogue);
    }
}
