using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>upsample_nearest1d/2d/3d (.vec and .default) as the frontend reads them: output sizes and float32 scales as ATen computes them.</summary>
public sealed class UpsamplingImportTests
{
    [Fact]
    public void Read_VecWithScaleFactor2_OutputTwiceTheInputAndScalesOneHalf()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "u", "target": "aten.upsample_nearest2d.vec", "args": [{"node": "x"}, null, [2.0, 2.0]], "kwargs": {}, "shape": [2, 3, 10, 8], "dtype": "float32"}""",
            "u", [2, 3, 5, 4]).Graph!;

        var upsample = Assert.IsType<UpsampleNearestOp>(Assert.Single(graph.Operations));
        Assert.Equal([0.5f, 0.5f], upsample.Scales.AsEnumerable());
        Assert.Equal(Shape.Of(2, 3, 10, 8), upsample.Result.Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_VecWithOutputSize_ScalesInputOverOutputInFloat32()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "u", "target": "aten.upsample_nearest2d.vec", "args": [{"node": "x"}, [16, 11], null], "kwargs": {}, "shape": [2, 3, 16, 11], "dtype": "float32"}""",
            "u", [2, 3, 10, 7]).Graph!;

        Assert.Equal([0.625f, 7f / 11f], Assert.IsType<UpsampleNearestOp>(Assert.Single(graph.Operations)).Scales.AsEnumerable());
    }

    [Fact]
    public void Read_DefaultWithScales_OneOverEachScaleRoundedToFloat32()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "u", "target": "aten.upsample_nearest2d.default", "args": [{"node": "x"}, [6, 9], 1.7, 2.3], "kwargs": {}, "shape": [2, 2, 6, 9], "dtype": "float32"}""",
            "u", [2, 2, 4, 4]).Graph!;

        Assert.Equal([(float)(1.0 / 1.7), (float)(1.0 / 2.3)], Assert.IsType<UpsampleNearestOp>(Assert.Single(graph.Operations)).Scales.AsEnumerable());
    }

    [Fact]
    public void Read_Nearest3dVecWithAFactorOfOne_ThatAxisScaleOne()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "u", "target": "aten.upsample_nearest3d.vec", "args": [{"node": "x"}, null, [2.0, 1.5, 1.0]], "kwargs": {}, "shape": [1, 2, 6, 6, 5], "dtype": "float32"}""",
            "u", [1, 2, 3, 4, 5]).Graph!;

        Assert.Equal([0.5f, (float)(1.0 / 1.5), 1.0f], Assert.IsType<UpsampleNearestOp>(Assert.Single(graph.Operations)).Scales.AsEnumerable());
    }

    [Fact]
    public void Read_SameSize_AFreeView()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "u", "target": "aten.upsample_nearest1d.default", "args": [{"node": "x"}, [9]], "kwargs": {}, "shape": [2, 3, 9], "dtype": "float32"}""",
            "u", [2, 3, 9]).Graph!;

        Assert.IsType<ReshapeOp>(Assert.Single(graph.Operations));
    }

    [Theory]
    [InlineData("""{"name": "u", "target": "aten.upsample_nearest2d.vec", "args": [{"node": "x"}, [8, 8], [2.0, 2.0]], "kwargs": {}, "shape": [2, 3, 8, 8], "dtype": "float32"}""", "exactly one of them")]
    [InlineData("""{"name": "u", "target": "aten.upsample_nearest2d.vec", "args": [{"node": "x"}, null, null], "kwargs": {}, "shape": [2, 3, 8, 8], "dtype": "float32"}""", "neither `output_size` nor `scale_factors`")]
    [InlineData("""{"name": "u", "target": "aten.upsample_nearest2d.vec", "args": [{"node": "x"}, null, [2.0]], "kwargs": {}, "shape": [2, 3, 8, 8], "dtype": "float32"}""", "`scale_factors` has 1 entries")]
    [InlineData("""{"name": "u", "target": "aten.upsample_nearest1d.vec", "args": [{"node": "x"}, [8], null], "kwargs": {}, "shape": [2, 3, 4, 8], "dtype": "float32"}""", "a rank-3 tensor")]
    [InlineData("""{"name": "u", "target": "aten.upsample_nearest2d.default", "args": [{"node": "x"}, [0, 8]], "kwargs": {}, "shape": [2, 3, 0, 8], "dtype": "float32"}""", "at least 1")]
    [InlineData("""{"name": "u", "target": "aten.upsample_nearest2d.default", "args": [{"node": "x"}, [8, 8], "half"], "kwargs": {}, "shape": [2, 3, 8, 8], "dtype": "float32"}""", "expects a number for `scales_h`")]
    public void Read_UnsupportedArguments_DiagnosticNamesTheNodeAndSaysWhy(string node, string expected)
    {
        var result = ReductionImportTests.Read(node, "u", [2, 3, 4, 4]);

        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.NodeName == "u" && d.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_TenToSixteen_FloorOfTheFloatProductClampedToTheLastRow()
    {
        var json = $$"""{"schema_version": 1, "inputs": [{"name": "x", "shape": [2, 3, 10, 1], "dtype": "float32", "role": "input"}], "nodes": [{"name": "u", "target": "aten.upsample_nearest2d.vec", "args": [{"node": "x"}, [16, 3], null], "kwargs": {}, "shape": [2, 3, 16, 3], "dtype": "float32"}], "outputs": ["u"]}""";

        var result = new Translator().Translate(json);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("const int64_t f2 = (int64_t)floorf((float)c2 * 0.625f);", result.Source, StringComparison.Ordinal);
        Assert.Contains("const int64_t s2 = f2 < 9 ? f2 : 9;", result.Source, StringComparison.Ordinal);
        Assert.Contains("y[o] = __ldg(x0 + c0 * 30 + c1 * 10 + s2);", result.Source, StringComparison.Ordinal);  // the width of 1 reads index 0
    }

    [Fact]
    public void SourceIndex_TenToSixteen_AtensNearestIndices()
    {
        // torch.nn.functional.interpolate(torch.arange(10.).view(1, 1, 10), size=16, mode="nearest") in torch 1.13 and 2.x.
        long[] expected = [0, 0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 6, 7, 8, 8, 9];

        Assert.Equal(expected, Enumerable.Range(0, 16).Select(o => UpsampleNearestOp.SourceIndex(o, 10f / 16f, 10)));
    }

    [Fact]
    public void Verify_UpsampleChangingALeadingAxis_Error()
    {
        var x = new IRValue("x", Shape.Of(2, 3, 4), DataType.Float32);
        var graph = new IRGraph([new GraphInput(x, TensorRole.Input)], [new UpsampleNearestOp(x with { Name = "y", Shape = Shape.Of(2, 4, 8) }, "x", [0.5f])], ["y"]);

        Assert.Contains(IRVerifier.Verify(graph), d => d.NodeName == "y" && d.Message.Contains("the source's leading axes", StringComparison.Ordinal));
    }
}
