using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class SimplifyVectorProductsTests
{
    [Fact]
    public void Run_MatrixTimesColumn_RowSumOfProductsAndNoMatmul()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "b", "target": "aten.view.default", "args": [{"node": "w"}, [8, 1]], "kwargs": {}, "shape": [8, 1], "dtype": "float32"},
            {"name": "out", "target": "aten.mm.default", "args": [{"node": "x"}, {"node": "b"}], "kwargs": {}, "shape": [4, 1], "dtype": "float32"}
            """, "out"));

        Assert.DoesNotContain(graph.Operations, o => o is MatmulOp);
        var sum = Assert.Single(graph.Operations.OfType<ReductionOp>());
        Assert.Equal((ReductionKind.Sum, 1), (sum.Kind, sum.Axis));
        Assert.NotNull(sum.Prologue);  // the multiply is computed as the reduction loads, not stored
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_RowTimesMatrix_ColumnSumOfProducts()
    {
        // w[1, 8] @ t(x)[8, 4]: the transpose folds into the product, so the stored matrix is x[4, 8], summed along axis 1.
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "a", "target": "aten.view.default", "args": [{"node": "w"}, [1, 8]], "kwargs": {}, "shape": [1, 8], "dtype": "float32"},
            {"name": "xt", "target": "aten.t.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [8, 4], "dtype": "float32"},
            {"name": "out", "target": "aten.mm.default", "args": [{"node": "a"}, {"node": "xt"}], "kwargs": {}, "shape": [1, 4], "dtype": "float32"}
            """, "out"));

        Assert.DoesNotContain(graph.Operations, o => o is MatmulOp);
        Assert.Equal(1, Assert.Single(graph.Operations.OfType<ReductionOp>()).Axis);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_ColumnTimesStoredMatrix_SumAlongAxis0()
    {
        // sum(x, 1)[4] viewed [1, 4] @ x[4, 8]: the vector meets the matrix as stored, so the sum runs down its columns.
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "s", "target": "aten.sum.dim_IntList", "args": [{"node": "x"}, [1]], "kwargs": {}, "shape": [4], "dtype": "float32"},
            {"name": "a", "target": "aten.view.default", "args": [{"node": "s"}, [1, 4]], "kwargs": {}, "shape": [1, 4], "dtype": "float32"},
            {"name": "out", "target": "aten.mm.default", "args": [{"node": "a"}, {"node": "x"}], "kwargs": {}, "shape": [1, 8], "dtype": "float32"}
            """, "out"));

        Assert.DoesNotContain(graph.Operations, o => o is MatmulOp);
        Assert.Contains(graph.Operations.OfType<ReductionOp>(), r => r.Axis == 0);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_ProductWithBias_MatmulKept()
    {
        // addmm's bias rides in the GEMM epilogue; this pass leaves such products alone.
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "b", "target": "aten.view.default", "args": [{"node": "w"}, [8, 1]], "kwargs": {}, "shape": [8, 1], "dtype": "float32"},
            {"name": "c", "target": "aten.sum.dim_IntList", "args": [{"node": "w"}, [0], true], "kwargs": {}, "shape": [1], "dtype": "float32"},
            {"name": "out", "target": "aten.addmm.default", "args": [{"node": "c"}, {"node": "x"}, {"node": "b"}], "kwargs": {}, "shape": [4, 1], "dtype": "float32"}
            """, "out"));

        Assert.Contains(graph.Operations, o => o is MatmulOp);
    }

    [Fact]
    public void Run_MatrixTimesMatrix_MatmulKept()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "b", "target": "aten.view.default", "args": [{"node": "w"}, [4, 2]], "kwargs": {}, "shape": [4, 2], "dtype": "float32"},
            {"name": "xs", "target": "aten.view.default", "args": [{"node": "x"}, [8, 4]], "kwargs": {}, "shape": [8, 4], "dtype": "float32"},
            {"name": "out", "target": "aten.mm.default", "args": [{"node": "xs"}, {"node": "b"}], "kwargs": {}, "shape": [8, 2], "dtype": "float32"}
            """, "out"));

        Assert.Contains(graph.Operations, o => o is MatmulOp);
    }
}
