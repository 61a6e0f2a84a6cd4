using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class FuseElementwiseTests
{
    [Fact]
    public void Run_Swish_OneFusedOpWithScalarInlined()
    {
        var graph = new EliminateDeadValues().Run(new FuseElementwise().Run(TestFiles.ReadGraph("swish")));

        var fused = Assert.IsType<FusedPointwiseOp>(Assert.Single(graph.Operations));
        Assert.Equal("mul(%x, sigmoid(mul(%x, 1.5)))", fused.Expression.ToString());
        Assert.Equal(["x"], fused.Operands);
    }

    [Fact]
    public void Run_IntermediateReadTwiceByOneOp_Inlined()
    {
        var graph = new FuseElementwise().Run(TestFiles.ReadNodes(
            """
            {"name": "s", "target": "aten.sigmoid.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "sq", "target": "aten.mul.Tensor", "args": [{"node": "s"}, {"node": "s"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "sq"));

        Assert.Equal("mul(sigmoid(%x), sigmoid(%x))", Assert.IsType<FusedPointwiseOp>(Assert.Single(graph.Operations)).Expression.ToString());
    }

    [Fact]
    public void Run_SmallIntermediateReadByTwoOps_RecomputedInEach()
    {
        var graph = new FuseElementwise().Run(TestFiles.ReadNodes(
            """
            {"name": "e", "target": "aten.exp.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "a", "target": "aten.add.Tensor", "args": [{"node": "e"}, 1.0], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "b", "target": "aten.mul.Tensor", "args": [{"node": "e"}, {"node": "w"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "a", "b"));

        Assert.Equal(["a", "b"], graph.Operations.Select(o => o.Result.Name));
        Assert.Equal("add(exp(%x), 1)", ((FusedPointwiseOp)graph.Operations[0]).Expression.ToString());
        Assert.Equal("mul(exp(%x), %w)", ((FusedPointwiseOp)graph.Operations[1]).Expression.ToString());
    }

    [Fact]
    public void Run_LargeIntermediateReadByTwoOps_MaterializedOnce()
    {
        // e = tanh(exp(sin...)): a chain of nine unary ops is past the recompute limit.
        var chain = string.Join(",\n", Enumerable.Range(0, 9).Select(i =>
            $$"""{"name": "c{{i}}", "target": "aten.exp.default", "args": [{"node": "{{(i == 0 ? "x" : $"c{i - 1}")}}"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}"""));
        var graph = new FuseElementwise().Run(TestFiles.ReadNodes(
            chain + """
            ,
            {"name": "a", "target": "aten.add.Tensor", "args": [{"node": "c8"}, 1.0], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "b", "target": "aten.mul.Tensor", "args": [{"node": "c8"}, {"node": "w"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "a", "b"));

        Assert.Equal(["c8", "a", "b"], graph.Operations.Select(o => o.Result.Name));
        Assert.Equal("add(%c8, 1)", ((FusedPointwiseOp)graph.Operations[1]).Expression.ToString());
    }

    [Fact]
    public void Run_ElementwiseFeedingAReduction_MaterializedAndOriginsKept()
    {
        var graph = new FuseElementwise().Run(TestFiles.ReadNodes(
            """
            {"name": "n", "target": "aten.neg.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "e", "target": "aten.exp.default", "args": [{"node": "n"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "s", "target": "aten.sum.dim_IntList", "args": [{"node": "e"}, [-1]], "kwargs": {}, "shape": [4], "dtype": "float32"}
            """, "s"));

        var fused = Assert.IsType<FusedPointwiseOp>(graph.Operations[0]);
        Assert.Equal("exp(neg(%x))", fused.Expression.ToString());
        Assert.Equal(["e", "n"], fused.Origins.Order(StringComparer.Ordinal));
        Assert.IsType<ReductionOp>(graph.Operations[1]);
    }
}
