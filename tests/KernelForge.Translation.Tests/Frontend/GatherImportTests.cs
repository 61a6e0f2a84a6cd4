using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>
/// Gathers by int64 class labels and the losses on them (cross entropy, nll_loss_forward, multi_margin_loss): labels are
/// read as int64 by the gather itself, or converted once to float32 where they are compared, and never used as numbers
/// where that could differ from torch's int64 arithmetic.
/// </summary>
public sealed class GatherImportTests
{
    [Fact]
    public void Translate_CrossEntropyAsTorch2ExportsIt_OnePickKernelAndLabelsConvertedOnce()
    {
        var result = new Translator().Translate(TestFiles.Graph("cross_entropy"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Single(result.Kernels, k => k.Name.EndsWith("_log_softmax_pick", StringComparison.Ordinal));
        Assert.Single(result.Kernels, k => k.Name.EndsWith("_convert", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Kernels, k => k.Kind == KernelKind.RowNormalization);
        Assert.Contains("(uint64_t)k < 4096ull", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_GatherByInt64Labels_ReadsInt64AndChecksTheRange()
    {
        var result = new Translator().Translate(Graph(
            """{"name": "out", "target": "aten.gather.default", "args": [{"node": "x"}, 1, {"node": "t"}], "kwargs": {}, "shape": [4, 1], "dtype": "float32"}"""));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var kernel = Assert.Single(result.Kernels);
        Assert.Equal(KernelKind.Pointwise, kernel.Kind);
        Assert.Contains("const int64_t* __restrict__ x1", result.Source, StringComparison.Ordinal);
        Assert.Contains("y[o] = (uint64_t)k < 37ull ? __ldg(x0 + c0 * 37 + k) : __int_as_float(0x7fffffff);", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_NllLossForwardMean_PickThenMaskedSumOverCount()
    {
        var result = new Translator().Translate(Graph("""
            {"name": "ls", "target": "aten._log_softmax.default", "args": [{"node": "x"}, 1, false], "kwargs": {}, "shape": [4, 37], "dtype": "float32"},
            {"name": "nll", "target": "aten.nll_loss_forward.default", "args": [{"node": "ls"}, {"node": "labels"}, null, 1, -100], "kwargs": {}, "shape": [[], []], "dtype": ["float32", "float32"]},
            {"name": "out", "target": "getitem", "args": [{"node": "nll"}, 0], "kwargs": {}, "shape": [], "dtype": "float32"}
            """));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains(result.Kernels, k => k.Name.EndsWith("_log_softmax_pick", StringComparison.Ordinal));
        Assert.Contains(result.Kernels, k => k.Summary.Contains("where(not_equal(%labels_float, -100), neg(", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"name": "out", "target": "aten.nll_loss_forward.default", "args": [{"node": "x"}, {"node": "labels"}, {"node": "x"}, 1, -100], "kwargs": {}, "shape": [[], []], "dtype": ["float32", "float32"]}""", "class weight")]
    [InlineData("""{"name": "out", "target": "aten.multi_margin_loss.default", "args": [{"node": "x"}, {"node": "labels"}, 3, 1.0, null, 1], "kwargs": {}, "shape": [], "dtype": "float32"}""", "p other than 1 and 2")]
    [InlineData("""{"name": "out", "target": "aten.gather.default", "args": [{"node": "x"}, 1, {"node": "x"}], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}""", "a float32 index")]
    [InlineData("""{"name": "out", "target": "aten.take_along_dim.default", "args": [{"node": "x"}, {"node": "t"}, 0], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}""", "broadcast against the input")]
    [InlineData("""{"name": "out", "target": "aten.ne.Tensor", "args": [{"node": "labels"}, {"node": "labels"}], "kwargs": {}, "shape": [4], "dtype": "bool"}""", "comparing two int64 tensors")]
    [InlineData("""{"name": "out", "target": "aten.ne.Scalar", "args": [{"node": "labels"}, 16777217], "kwargs": {}, "shape": [4], "dtype": "bool"}""", "at or beyond 2^24")]
    public void Translate_UnsupportedUse_DiagnosticSaysWhy(string node, string expected)
    {
        var result = new Translator().Translate(Graph(node));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_ArithmeticOnASafeLabel_RefusedAsTorchWouldComputeItInInt64()
    {
        var result = new Translator().Translate(Graph("""
            {"name": "ne", "target": "aten.ne.Scalar", "args": [{"node": "labels"}, -100], "kwargs": {}, "shape": [4], "dtype": "bool"},
            {"name": "safe", "target": "aten.where.ScalarOther", "args": [{"node": "ne"}, {"node": "labels"}, 0], "kwargs": {}, "shape": [4], "dtype": "int64"},
            {"name": "out", "target": "aten.mul.Scalar", "args": [{"node": "safe"}, 3], "kwargs": {}, "shape": [4], "dtype": "int64"}
            """));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.NodeName == "out" && d.Message.Contains("returns int64", StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_SafeLabelsFromAnInt64FullZero_GatherByTheConvertedLabels()
    {
        var result = new Translator().Translate(Graph("""
            {"name": "ne", "target": "aten.ne.Scalar", "args": [{"node": "labels"}, -100], "kwargs": {}, "shape": [4], "dtype": "bool"},
            {"name": "zero", "target": "aten.full.default", "args": [[], 0], "kwargs": {"dtype": {"dtype": "int64"}, "layout": {"layout": "strided"}, "device": {"device": "cuda:0"}, "pin_memory": false}, "shape": [], "dtype": "int64"},
            {"name": "safe", "target": "aten.where.self", "args": [{"node": "ne"}, {"node": "labels"}, {"node": "zero"}], "kwargs": {}, "shape": [4], "dtype": "int64"},
            {"name": "column", "target": "aten.unsqueeze.default", "args": [{"node": "safe"}, 1], "kwargs": {}, "shape": [4, 1], "dtype": "int64"},
            {"name": "out", "target": "aten.gather.default", "args": [{"node": "x"}, 1, {"node": "column"}], "kwargs": {}, "shape": [4, 1], "dtype": "float32"}
            """));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("const int64_t k = f >= 0.0f && f < 37.0f ? (int64_t)f : -1;", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_CountOfTrues_ExactSumOfOnesInsideTheReduction()
    {
        var result = new Translator().Translate(Graph("""
            {"name": "ne", "target": "aten.ne.Scalar", "args": [{"node": "labels"}, -100], "kwargs": {}, "shape": [4], "dtype": "bool"},
            {"name": "count", "target": "aten.sum.default", "args": [{"node": "ne"}], "kwargs": {}, "shape": [], "dtype": "int64"},
            {"name": "out", "target": "aten._to_copy.default", "args": [{"node": "count"}], "kwargs": {"dtype": {"dtype": "float32"}}, "shape": [], "dtype": "float32"}
            """));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains(result.Kernels, k => k.Summary.Contains("reduce_sum(where(not_equal(%labels_float, -100), 1, 0)", StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_MaxOfBools_Refused()
    {
        var result = new Translator().Translate(Graph("""
            {"name": "ne", "target": "aten.ne.Scalar", "args": [{"node": "labels"}, -100], "kwargs": {}, "shape": [4], "dtype": "bool"},
            {"name": "out", "target": "aten.amax.default", "args": [{"node": "ne"}, [0]], "kwargs": {}, "shape": [], "dtype": "bool"}
            """));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("reducing a bool tensor", StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_MultiMarginLossAsTorch1KeepsIt_GatherThenOneRowReduction()
    {
        var result = new Translator().Translate(Graph(
            """{"name": "out", "target": "aten.multi_margin_loss.default", "args": [{"node": "x"}, {"node": "labels"}, 1, 1.0, null, 0], "kwargs": {}, "shape": [4], "dtype": "float32"}"""));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains(result.Kernels, k => k.Name.EndsWith("_gather", StringComparison.Ordinal));
        Assert.Single(result.Kernels, k => k.Kind == KernelKind.RowReduction);
    }

    /// <summary>Inputs x [4, 37] (float32), t [4, 1] and labels [4] (int64).</summary>
    private static string Graph(string nodes) => $$"""
        {"schema_version": 1,
         "inputs": [{"name": "x", "shape": [4, 37], "dtype": "float32", "role": "input"}, {"name": "t", "shape": [4, 1], "dtype": "int64", "role": "input"},
                    {"name": "labels", "shape": [4], "dtype": "int64", "role": "input"}],
         "nodes": [{{nodes}}],
         "outputs": ["out"]}
        """;
}
