using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class SimplifyDiagonalProductsTests
{
    [Fact]
    public void Run_DiagTimesMatrix_RowScaleAndNoMatmul()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "s", "target": "aten.sum.dim_IntList", "args": [{"node": "x"}, [1]], "kwargs": {}, "shape": [4], "dtype": "float32"},
            {"name": "d", "target": "aten.diag.default", "args": [{"node": "s"}], "kwargs": {}, "shape": [4, 4], "dtype": "float32"},
            {"name": "out", "target": "aten.mm.default", "args": [{"node": "d"}, {"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "out"));

        Assert.DoesNotContain(graph.Operations, o => o is MatmulOp or DiagonalOp);
        Assert.Equal("mul(%s_rows, %x)", Assert.Single(graph.Operations.OfType<FusedPointwiseOp>()).Expression.ToString());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_DiagonalAlsoReturned_KeptAsACopyKernel()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "s", "target": "aten.sum.dim_IntList", "args": [{"node": "x"}, [0]], "kwargs": {}, "shape": [8], "dtype": "float32"},
            {"name": "d", "target": "aten.diag.default", "args": [{"node": "s"}], "kwargs": {}, "shape": [8, 8], "dtype": "float32"},
            {"name": "out", "target": "aten.mm.default", "args": [{"node": "x"}, {"node": "d"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "out", "d"));

        Assert.Single(graph.Operations.OfType<DiagonalOp>());
        Assert.DoesNotContain(graph.Operations, o => o is MatmulOp);
    }
}
