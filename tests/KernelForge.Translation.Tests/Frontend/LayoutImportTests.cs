using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>slice, select, cat, constant_pad_nd, permute and full_like as the frontend reads them, with Python's index rules.</summary>
public sealed class LayoutImportTests
{
    [Theory]
    [InlineData("1, 2, -1, 3", 2, 3, 3)]                     // x[:, 2:-1:3] of 11 → 2, 5, 8
    [InlineData("1, -4", 7, 1, 4)]                           // x[:, -4:]
    [InlineData("1, 1, 9223372036854775807", 1, 1, 10)]      // x[:, 1:] as export writes it
    [InlineData("1, -100, 3", 0, 1, 3)]                      // start clamps to 0
    public void Read_Slice_PythonIndexRules(string arguments, long start, long step, long length)
    {
        var graph = ReductionImportTests.Read(
            $$"""{"name": "s", "target": "aten.slice.Tensor", "args": [{"node": "x"}, {{arguments}}], "kwargs": {}, "shape": [4, {{length}}], "dtype": "float32"}""",
            "s", [4, 11]).Graph!;

        var slice = Assert.IsType<SliceOp>(Assert.Single(graph.Operations));
        Assert.Equal((1, start, step, Shape.Of(4, length)), (slice.Axis, slice.Start, slice.Step, slice.Result.Shape));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_SliceOfEverything_AFreeView()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "s", "target": "aten.slice.Tensor", "args": [{"node": "x"}, 0, 0, 9223372036854775807], "kwargs": {}, "shape": [4, 11], "dtype": "float32"}""",
            "s", [4, 11]).Graph!;

        Assert.IsType<ReshapeOp>(Assert.Single(graph.Operations));
    }

    [Fact]
    public void Read_SelectNegativeIndex_SliceThenDropTheAxis()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "s", "target": "aten.select.int", "args": [{"node": "x"}, 1, -2], "kwargs": {}, "shape": [4, 3], "dtype": "float32"}""",
            "s", [4, 11, 3]).Graph!;

        var slice = Assert.IsType<SliceOp>(graph.Operations[0]);
        Assert.Equal(9, slice.Start);
        Assert.Equal(Shape.Of(4, 3), Assert.IsType<ReshapeOp>(graph.Operations[1]).Result.Shape);
    }

    [Fact]
    public void Read_CatOfMismatchedShapes_DiagnosticNamingTheDim()
    {
        var result = ReductionImportTests.Read(
            """
            {"name": "y", "target": "aten.permute.default", "args": [{"node": "x"}, [1, 0]], "kwargs": {}, "shape": [6, 4], "dtype": "float32"},
            {"name": "c", "target": "aten.cat.default", "args": [[{"node": "x"}, {"node": "y"}], 1], "kwargs": {}, "shape": [4, 10], "dtype": "float32"}
            """, "c", [4, 6]);

        Assert.Contains("differ in a dim other than 1", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativePad_RefusedAsCropping()
    {
        var result = ReductionImportTests.Read(
            """{"name": "p", "target": "aten.constant_pad_nd.default", "args": [{"node": "x"}, [1, -1]], "kwargs": {}, "shape": [4, 6], "dtype": "float32"}""",
            "p", [4, 6]);

        Assert.Contains("cropping", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PermuteOfThreeAxes_PermuteOpWithPermutedShape()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "p", "target": "aten.permute.default", "args": [{"node": "x"}, [2, 0, 1]], "kwargs": {}, "shape": [5, 3, 4], "dtype": "float32"}""",
            "p", [3, 4, 5]).Graph!;

        var permute = Assert.IsType<PermuteOp>(Assert.Single(graph.Operations));
        Assert.Equal(Shape.Of(5, 3, 4), permute.Result.Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_HelperValueNamesNeverTakeALaterNodesName()
    {
        // split's pieces are helper values; a later node of the graph is called split_1, as FX names a second split.
        var result = ReductionImportTests.Read(
            """
            {"name": "split", "target": "aten.split.Tensor", "args": [{"node": "x"}, 2, 1], "kwargs": {}, "shape": [[4, 2], [4, 2]], "dtype": ["float32", "float32"]},
            {"name": "getitem", "target": "getitem", "args": [{"node": "split"}, 1], "kwargs": {}, "shape": [4, 2], "dtype": "float32"},
            {"name": "split_1", "target": "aten.split.Tensor", "args": [{"node": "getitem"}, 1, 1], "kwargs": {}, "shape": [[4, 1], [4, 1]], "dtype": ["float32", "float32"]},
            {"name": "getitem_1", "target": "getitem", "args": [{"node": "split_1"}, 0], "kwargs": {}, "shape": [4, 1], "dtype": "float32"}
            """, "getitem_1", [4, 4]);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(IRVerifier.Verify(result.Graph!));
    }
}
