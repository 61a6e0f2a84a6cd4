using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class FuseNormalizationTests
{
    [Fact]
    public void Run_RmsNormWrittenOut_OneRowRmsNormWithWeight()
    {
        var graph = new EliminateDeadValues().Run(new FuseNormalization().Run(TestFiles.ReadGraph("rms_norm")));

        var norm = Assert.IsType<RowRmsNormOp>(Assert.Single(graph.Operations));
        Assert.Equal(("mul_1", "x", "p_weight", 1e-6, RmsNormForm.DivideBySqrt), (norm.Result.Name, norm.Source, norm.Weight, norm.Epsilon, norm.Form));
        Assert.Equal(["add", "div", "mean", "mul", "mul_1", "sqrt"], norm.Origins.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Run_RsqrtFormWithPowAndWeightFirst_RowRmsNorm()
    {
        var graph = new EliminateDeadValues().Run(new FuseNormalization().Run(TestFiles.ReadGraph("rms_norm_rsqrt")));

        var norm = Assert.IsType<RowRmsNormOp>(Assert.Single(graph.Operations));
        Assert.Equal(("p_weight", RmsNormForm.MultiplyByRsqrt), (norm.Weight, norm.Form));
    }

    [Fact]
    public void Run_NoWeight_RowRmsNormWithoutWeight()
    {
        var graph = new FuseNormalization().Run(TestFiles.ReadNodes(Nodes(""), "div"));

        Assert.Null(Assert.IsType<RowRmsNormOp>(graph.Operations[^1]).Weight);
    }

    [Fact]
    public void Run_MeanAlsoReturned_NotFused()
    {
        var graph = new FuseNormalization().Run(TestFiles.ReadNodes(Nodes(""), "div", "mean"));

        Assert.DoesNotContain(graph.Operations, o => o is RowRmsNormOp);
    }

    [Fact]
    public void Run_MeanWithoutKeepdim_NotFused()
    {
        var nodes = """
            {"name": "sq", "target": "aten.mul.Tensor", "args": [{"node": "x"}, {"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "mean", "target": "aten.mean.dim", "args": [{"node": "sq"}, [-1]], "kwargs": {}, "shape": [4], "dtype": "float32"},
            {"name": "add", "target": "aten.add.Tensor", "args": [{"node": "mean"}, 1e-06], "kwargs": {}, "shape": [4], "dtype": "float32"},
            {"name": "r", "target": "aten.rsqrt.default", "args": [{"node": "add"}], "kwargs": {}, "shape": [4], "dtype": "float32"}
            """;

        var graph = new FuseNormalization().Run(TestFiles.ReadNodes(nodes, "r"));

        Assert.DoesNotContain(graph.Operations, o => o is RowRmsNormOp);
    }

    /// <summary>x / sqrt(mean(x * x, -1, keepdim) + 1e-6), then <paramref name="more"/>.</summary>
    private static string Nodes(string more) => """
        {"name": "sq", "target": "aten.mul.Tensor", "args": [{"node": "x"}, {"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
        {"name": "mean", "target": "aten.mean.dim", "args": [{"node": "sq"}, [-1], true], "kwargs": {}, "shape": [4, 1], "dtype": "float32"},
        {"name": "add", "target": "aten.add.Tensor", "args": [{"node": "mean"}, 1e-06], "kwargs": {}, "shape": [4, 1], "dtype": "float32"},
        {"name": "sqrt", "target": "aten.sqrt.default", "args": [{"node": "add"}], "kwargs": {}, "shape": [4, 1], "dtype": "float32"},
        {"name": "div", "target": "aten.div.Tensor", "args": [{"node": "x"}, {"node": "sqrt"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
        """ + more;
}
