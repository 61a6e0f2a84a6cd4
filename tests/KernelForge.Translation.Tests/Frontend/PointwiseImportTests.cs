using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>clamp by tensor bounds, remainder and fmod as the frontend reads them, and what the emitter writes for them.</summary>
public sealed class PointwiseImportTests
{
    [Fact]
    public void Read_ClampTensorBothBounds_MaximumThenMinimumOverTheBroadcastShape()
    {
        var graph = Read("""{"name": "c", "target": "aten.clamp.Tensor", "args": [{"node": "x"}, {"node": "lo"}, {"node": "hi"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "c").Graph!;

        var steps = graph.Operations.OfType<BinaryOp>().ToList();
        Assert.Equal([BinaryOpKind.Maximum, BinaryOpKind.Minimum], steps.Select(s => s.Kind));
        Assert.Equal(("x", "lo", "hi"), (steps[0].Left, steps[0].Right, steps[1].Right));
        Assert.Equal((Shape.Of(4, 8), Shape.Of(4, 8)), (steps[0].Result.Shape, steps[1].Result.Shape));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_ClampTensorBoundsBroadcastBeyondSelf_ResultTakesTheBroadcastShape()
    {
        var graph = Read("""{"name": "c", "target": "aten.clamp.Tensor", "args": [{"node": "v"}, null, {"node": "hi"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "c").Graph!;

        var step = Assert.IsType<BinaryOp>(Assert.Single(graph.Operations));
        Assert.Equal((BinaryOpKind.Minimum, Shape.Of(4, 8)), (step.Kind, step.Result.Shape));
    }

    [Theory]
    [InlineData("aten.clamp_min.Tensor", BinaryOpKind.Maximum)]
    [InlineData("aten.clamp_max.Tensor", BinaryOpKind.Minimum)]
    public void Read_ClampMinOrMaxTensor_OneMaximumOrMinimum(string target, BinaryOpKind kind)
    {
        var graph = Read($$"""{"name": "c", "target": "{{target}}", "args": [{"node": "x"}, {"node": "lo"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "c").Graph!;

        Assert.Equal(kind, Assert.IsType<BinaryOp>(Assert.Single(graph.Operations)).Kind);
    }

    [Theory]
    [InlineData("""{"name": "c", "target": "aten.clamp.Tensor", "args": [{"node": "x"}, null, null], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "both bounds are None")]
    [InlineData("""{"name": "c", "target": "aten.clamp.Tensor", "args": [{"node": "x"}, {"node": "w"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "do not broadcast")]
    [InlineData("""{"name": "c", "target": "aten.clamp.Tensor", "args": [{"node": "x"}, "low"], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "expects a tensor for `min`")]
    [InlineData("""{"name": "c", "target": "aten.remainder.Tensor", "args": [{"node": "x"}, {"node": "w"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "do not broadcast")]
    public void Read_UnsupportedClampOrRemainder_DiagnosticNamesTheNode(string node, string expected)
    {
        var result = Read(node, "c");

        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.NodeName == "c" && d.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("aten.remainder.Scalar", BinaryOpKind.Remainder)]
    [InlineData("aten.fmod.Scalar", BinaryOpKind.Fmod)]
    public void Read_RemainderOrFmodByANumber_BinaryOpWithAConstant(string target, BinaryOpKind kind)
    {
        var graph = Read($$"""{"name": "c", "target": "{{target}}", "args": [{"node": "x"}, -0.7], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "c").Graph!;

        var step = Assert.Single(graph.Operations.OfType<BinaryOp>());
        Assert.Equal((kind, "x"), (step.Kind, step.Left));
        Assert.Equal(-0.7, Assert.Single(graph.Operations.OfType<ConstantOp>()).Value);
    }

    [Fact]
    public void Read_RemainderOfAnIntegerArange_ExactIntegersAsFloat32()
    {
        var result = Read("""
            {"name": "a", "target": "aten.arange.default", "args": [8], "kwargs": {"dtype": {"dtype": "int64"}}, "shape": [8], "dtype": "int64"},
            {"name": "m", "target": "aten.remainder.Scalar", "args": [{"node": "a"}, 3], "kwargs": {}, "shape": [8], "dtype": "int64"},
            {"name": "c", "target": "aten.eq.Scalar", "args": [{"node": "m"}, 0], "kwargs": {}, "shape": [8], "dtype": "bool"}
            """, "c");

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Translate_RemainderAndFmod_AtensFormulasInOneKernel()
    {
        var result = new Translator().Translate(Json("""
            {"name": "r", "target": "aten.remainder.Tensor", "args": [{"node": "x"}, {"node": "lo"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "c", "target": "aten.fmod.Scalar", "args": [{"node": "r"}, 0.3], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "c"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Single(result.Kernels);
        Assert.Contains("return (r != 0.0f && ((r < 0.0f) != (b < 0.0f))) ? r + b : r;", result.Source, StringComparison.Ordinal);
        Assert.Contains("= kf_remainder(a0, a1);", result.Source, StringComparison.Ordinal);
        Assert.Contains("fmodf(t0, 0.3f);", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_NoRemainder_NoRemainderHelper()
    {
        var result = new Translator().Translate(Json("""{"name": "c", "target": "aten.fmod.Tensor", "args": [{"node": "x"}, {"node": "lo"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "c"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain("kf_remainder", result.Source, StringComparison.Ordinal);
    }

    private static GraphReadResult Read(string nodes, string output) => GraphReader.Read(Json(nodes, output));

    /// <summary>float32 inputs x [4, 8], lo [8], hi [4, 1], v [8] and w [3].</summary>
    private static string Json(string nodes, string output) => $$"""
        {"schema_version": 1,
         "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}, {"name": "lo", "shape": [8], "dtype": "float32", "role": "input"},
                    {"name": "hi", "shape": [4, 1], "dtype": "float32", "role": "input"}, {"name": "v", "shape": [8], "dtype": "float32", "role": "input"},
                    {"name": "w", "shape": [3], "dtype": "float32", "role": "input"}],
         "nodes": [{{nodes}}],
         "outputs": ["{{output}}"]}
        """;
}
