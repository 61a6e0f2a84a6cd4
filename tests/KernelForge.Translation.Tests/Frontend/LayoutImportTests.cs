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

    [Fact]
    public void Read_UnbindMiddleDim_EachReadPieceASliceWithoutTheAxis()
    {
        var graph = ReductionImportTests.Read(
            """
            {"name": "unbind", "target": "aten.unbind.int", "args": [{"node": "x"}, 1], "kwargs": {}, "shape": [[4, 5], [4, 5], [4, 5]], "dtype": ["float32", "float32", "float32"]},
            {"name": "getitem", "target": "getitem", "args": [{"node": "unbind"}, 2], "kwargs": {}, "shape": [4, 5], "dtype": "float32"}
            """, "getitem", [4, 3, 5]).Graph!;

        var slices = graph.Operations.OfType<SliceOp>().ToList();
        Assert.Equal([0L, 1L, 2L], slices.Select(s => s.Start));
        Assert.All(slices, s => Assert.Equal((1, Shape.Of(4, 1, 5)), (s.Axis, s.Result.Shape)));
        var piece = Assert.IsType<ReshapeOp>(graph.Operations.Single(o => o.Result.Name == graph.Outputs[0]));
        Assert.Equal((slices[2].Result.Name, Shape.Of(4, 5)), (piece.Source, piece.Result.Shape));
        Assert.Contains("getitem", piece.Origins);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_UnbindDefaultDimOfExtentOne_AViewOnly()
    {
        var graph = ReductionImportTests.Read(
            """
            {"name": "unbind", "target": "aten.unbind.int", "args": [{"node": "x"}], "kwargs": {}, "shape": [[4, 5]], "dtype": ["float32"]},
            {"name": "getitem", "target": "getitem", "args": [{"node": "unbind"}, 0], "kwargs": {}, "shape": [4, 5], "dtype": "float32"}
            """, "getitem", [1, 4, 5]).Graph!;

        Assert.Equal(Shape.Of(4, 5), Assert.IsType<ReshapeOp>(Assert.Single(graph.Operations)).Result.Shape);
    }

    [Theory]
    [InlineData("""{"name": "unbind", "target": "aten.unbind.int", "args": [{"node": "x"}, [0, 1]], "kwargs": {}, "shape": [[3]], "dtype": ["float32"]}""", "unbind", "dim must be one integer")]
    [InlineData("""{"name": "unbind", "target": "aten.unbind.int", "args": [{"node": "x"}, 2], "kwargs": {}, "shape": [[3]], "dtype": ["float32"]}""", "unbind", "dim 2 is out of range")]
    [InlineData("""{"name": "unbind", "target": "aten.unbind.int", "args": [{"node": "x"}, 0], "kwargs": {}, "shape": [[3], [3]], "dtype": ["float32", "float32"]}, {"name": "g", "target": "getitem", "args": [{"node": "unbind"}, 2], "kwargs": {}, "shape": [3], "dtype": "float32"}""", "g", "index out of range")]
    [InlineData("""{"name": "p", "target": "aten.pixel_unshuffle.default", "args": [{"node": "x"}, 2], "kwargs": {}, "shape": [2, 12, 1, 1], "dtype": "float32"}""", "p", "height and width must divide")]
    [InlineData("""{"name": "p", "target": "aten.pixel_unshuffle.default", "args": [{"node": "x"}, 0], "kwargs": {}, "shape": [2, 3], "dtype": "float32"}""", "p", "positive factor")]
    public void Read_UnsupportedPieceOrShuffle_DiagnosticNamesTheNode(string nodes, string node, string expected)
    {
        var result = ReductionImportTests.Read(nodes, node, [2, 3]);

        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.NodeName == node && d.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_PixelUnshuffle_ViewPermuteViewInverseOfPixelShuffle()
    {
        var graph = ReductionImportTests.Read(
            """
            {"name": "p", "target": "aten.pixel_unshuffle.default", "args": [{"node": "x"}, 2], "kwargs": {}, "shape": [2, 12, 3, 5], "dtype": "float32"},
            {"name": "s", "target": "aten.pixel_shuffle.default", "args": [{"node": "p"}, 2], "kwargs": {}, "shape": [2, 3, 6, 10], "dtype": "float32"}
            """, "s", [2, 3, 6, 10]).Graph!;

        var permutes = graph.Operations.OfType<PermuteOp>().ToList();
        Assert.Equal([0, 1, 3, 5, 2, 4], permutes[0].Order.AsEnumerable());
        Assert.Equal(Shape.Of(2, 3, 2, 2, 3, 5), permutes[0].Result.Shape);
        Assert.Equal([0, 1, 4, 2, 5, 3], permutes[1].Order.AsEnumerable());
        Assert.Equal(Shape.Of(2, 12, 3, 5), graph.Values()["p"].Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }
}
