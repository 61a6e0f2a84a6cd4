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
    [Theory]
    [InlineData("[{\"node\": \"r2\"}, {\"node\": \"c\"}]")]
    [InlineData("[{\"node\": \"c\"}, {\"node\": \"r2\"}]")]
    public void Run_DiagonalWrittenAsAnArangeMask_RowScaleAndNoMatmul(string equalArguments)
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            $$"""
            {"name": "s", "target": "aten.sum.dim_IntList", "args": [{"node": "x"}, [1]], "kwargs": {}, "shape": [4], "dtype": "float32"},
            {"name": "r", "target": "aten.arange.default", "args": [4], "kwargs": {}, "shape": [4], "dtype": "int64"},
            {"name": "c", "target": "aten.arange.default", "args": [4], "kwargs": {}, "shape": [4], "dtype": "int64"},
            {"name": "r2", "target": "aten.unsqueeze.default", "args": [{"node": "r"}, -1], "kwargs": {}, "shape": [4, 1], "dtype": "int64"},
            {"name": "m", "target": "aten.eq.Tensor", "args": {{equalArguments}}, "kwargs": {}, "shape": [4, 4], "dtype": "bool"},
            {"name": "d", "target": "aten.where.ScalarOther", "args": [{"node": "m"}, {"node": "s"}, 0.0], "kwargs": {}, "shape": [4, 4], "dtype": "float32"},
            {"name": "out", "target": "aten.mm.default", "args": [{"node": "d"}, {"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "out"));

        Assert.DoesNotContain(graph.Operations, o => o is MatmulOp or DiagonalOp or IotaOp);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Theory]
    [InlineData("aten.eq.Tensor", 0.0, 1)]     // an offset diagonal (i == j + 1) is not diag(v)
    [InlineData("aten.ne.Tensor", 0.0, 0)]     // off-diagonal mask
    [InlineData("aten.eq.Tensor", 1.0, 0)]     // ones off the diagonal
    public void Run_MaskThatIsNotAMainDiagonal_MatmulKept(string comparison, double otherwise, int offset)
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            $$"""
            {"name": "s", "target": "aten.sum.dim_IntList", "args": [{"node": "x"}, [1]], "kwargs": {}, "shape": [4], "dtype": "float32"},
            {"name": "r", "target": "aten.arange.default", "args": [4], "kwargs": {}, "shape": [4], "dtype": "int64"},
            {"name": "c0", "target": "aten.arange.default", "args": [4], "kwargs": {}, "shape": [4], "dtype": "int64"},
            {"name": "c", "target": "aten.add.Tensor", "args": [{"node": "c0"}, {{offset}}], "kwargs": {}, "shape": [4], "dtype": "int64"},
            {"name": "r2", "target": "aten.unsqueeze.default", "args": [{"node": "r"}, -1], "kwargs": {}, "shape": [4, 1], "dtype": "int64"},
            {"name": "m", "target": "{{comparison}}", "args": [{"node": "r2"}, {"node": "c"}], "kwargs": {}, "shape": [4, 4], "dtype": "bool"},
            {"name": "d", "target": "aten.where.ScalarOther", "args": [{"node": "m"}, {"node": "s"}, {{otherwise.ToString(System.Globalization.CultureInfo.InvariantCulture)}}], "kwargs": {}, "shape": [4, 4], "dtype": "float32"},
            {"name": "out", "target": "aten.mm.default", "args": [{"node": "d"}, {"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "out"));

        Assert.Contains(graph.Operations, o => o is MatmulOp);
        Assert.DoesNotContain(graph.Operations, o => o is DiagonalOp);
    }
}
