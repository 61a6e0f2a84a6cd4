using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>Comparisons, where, masked_fill and the branchy activations: bools stay inside one fused elementwise kernel.</summary>
public sealed class BranchImportTests
{
    [Theory]
    [InlineData("""{"name": "out", "target": "aten.elu.default", "args": [{"node": "x"}, 1.5], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}""", "expm1")]
    [InlineData("""{"name": "out", "target": "aten.softplus.default", "args": [{"node": "x"}, 2, 10], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}""", "log1p")]
    [InlineData("""{"name": "out", "target": "aten.leaky_relu.default", "args": [{"node": "x"}, 0.2], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}""", "where(greater(")]
    [InlineData("""{"name": "out", "target": "aten.hardswish.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}""", "minimum(maximum(")]
    public void Translate_BranchyActivation_OneFusedKernel(string node, string expected)
    {
        var result = new Translator().Translate(Graph(node));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var kernel = Assert.Single(result.Kernels);
        Assert.Contains(expected, kernel.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ComparisonReadTwice_RecomputedInEachReaderNotStored()
    {
        var result = new Translator().Translate(Graph("""
            {"name": "c", "target": "aten.gt.Scalar", "args": [{"node": "x"}, 0], "kwargs": {}, "shape": [4, 37], "dtype": "bool"},
            {"name": "a", "target": "aten.where.ScalarOther", "args": [{"node": "c"}, {"node": "x"}, 0.0], "kwargs": {}, "shape": [4, 37], "dtype": "float32"},
            {"name": "b", "target": "aten.where.ScalarSelf", "args": [{"node": "c"}, 1.0, {"node": "x"}], "kwargs": {}, "shape": [4, 37], "dtype": "float32"},
            {"name": "out", "target": "aten.mul.Tensor", "args": [{"node": "a"}, {"node": "b"}], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}
            """));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("greater(%x, 0)", Assert.Single(result.Kernels).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_BoolReturned_DiagnosticSaysBoolsStayInsideChains()
    {
        var result = new Translator().Translate(Graph(
            """{"name": "out", "target": "aten.gt.Scalar", "args": [{"node": "x"}, 0], "kwargs": {}, "shape": [4, 37], "dtype": "bool"}"""));

        Assert.False(result.Succeeded);
        Assert.Contains("bool tensor that must be stored", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_TrilMaskFromAranges_IotaKernelsThenOneFusedSelect()
    {
        // torch.tril(x) as core ATen spells it: (arange(cols) - arange(rows)[:, None]) <= 0 selects x, else 0.
        var result = new Translator().Translate(Graph("""
            {"name": "rows", "target": "aten.arange.default", "args": [4], "kwargs": {"dtype": "int64"}, "shape": [4], "dtype": "int64"},
            {"name": "cols", "target": "aten.arange.default", "args": [37], "kwargs": {"dtype": "int64"}, "shape": [37], "dtype": "int64"},
            {"name": "r2", "target": "aten.unsqueeze.default", "args": [{"node": "rows"}, -1], "kwargs": {}, "shape": [4, 1], "dtype": "int64"},
            {"name": "d", "target": "aten.sub.Tensor", "args": [{"node": "cols"}, {"node": "r2"}], "kwargs": {}, "shape": [4, 37], "dtype": "int64"},
            {"name": "m", "target": "aten.le.Scalar", "args": [{"node": "d"}, 0], "kwargs": {}, "shape": [4, 37], "dtype": "bool"},
            {"name": "out", "target": "aten.where.ScalarOther", "args": [{"node": "m"}, {"node": "x"}, 0.0], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}
            """));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(3, result.Kernels.Count);
        Assert.Contains("(float)(0ll + 1ll * o)", result.Source, StringComparison.Ordinal);
        Assert.Contains("less_equal(", result.Kernels[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_BoolOnesTriuMaskedFill_MaskStaysInRegisters()
    {
        var result = new Translator().Translate(Graph("""
            {"name": "ones", "target": "aten.full.default", "args": [[4, 37], true], "kwargs": {"dtype": {"dtype": "bool"}}, "shape": [4, 37], "dtype": "bool"},
            {"name": "future", "target": "aten.triu.default", "args": [{"node": "ones"}, 1], "kwargs": {}, "shape": [4, 37], "dtype": "bool"},
            {"name": "out", "target": "aten.masked_fill.Scalar", "args": [{"node": "x"}, {"node": "future"}, {"float": "-inf"}], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}
            """));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(3, result.Kernels.Count);  // two aranges, then one fused kernel with the mask in registers
        Assert.Contains("logical_and(", result.Kernels[^1].Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[0, 40000000]""", "below 2^24")]
    [InlineData("""[0.5, 4]""", "integers")]
    public void Read_ArangeOutsideExactIntegers_Refused(string args, string expected)
    {
        var result = ReductionImportTests.Read(
            $$"""{"name": "out", "target": "aten.arange.start", "args": {{args}}, "kwargs": {}, "shape": [4], "dtype": "int64"}""",
            "out", [4]);

        Assert.Contains(expected, Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhereWithFloatCondition_Refused()
    {
        var result = ReductionImportTests.Read(
            """{"name": "out", "target": "aten.where.self", "args": [{"node": "x"}, {"node": "x"}, {"node": "x"}], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}""",
            "out", [4, 37]);

        Assert.Contains("float32 condition (torch requires bool)", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SelectWithFloatCondition_Error()
    {
        var x = new IRValue("x", Shape.Of(3), DataType.Float32);
        var graph = new IRGraph([new GraphInput(x, TensorRole.Input)], [new SelectOp(x with { Name = "s" }, "x", "x", "x")], ["s"]);

        Assert.Contains(IRVerifier.Verify(graph), d => d.Message.Contains("bool condition", StringComparison.Ordinal));
    }

    private static string Graph(string nodes) =>
        $$"""{"schema_version": 1, "inputs": [{"name": "x", "shape": [4, 37], "dtype": "float32", "role": "input"}], "nodes": [{{nodes}}], "outputs": ["out"]}""";
}
