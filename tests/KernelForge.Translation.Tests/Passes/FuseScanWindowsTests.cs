using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

/// <summary>Slices read in place and constant pads written in place by scans; x is [4, 8].</summary>
public sealed class FuseScanWindowsTests
{
    [Fact]
    public void Run_ExclusiveCumsumAsExportWritesIt_OneScanReadingXInPlaceAndWritingThePad()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadGraph("exclusive_cumsum"));

        var scan = Assert.IsType<ScanOp>(Assert.Single(graph.Operations));
        Assert.Equal(("x", 1, false, "constant_pad_nd"), (scan.Source, scan.Axis, scan.Reverse, scan.Result.Name));
        Assert.Equal(new StridedView(Shape.Of(32768, 8191), 0, [8192, 1]), scan.SourceView);
        Assert.Equal(new ConstantBorder(Shape.Of(32768, 8191), [0, 1], 0.0), scan.Border);
        Assert.Equal(["cumsum", "slice_1", "constant_pad_nd"], scan.Origins.AsEnumerable());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_ScanOfASliceOfASlice_ReadsTheFirstSourceWithComposedOffsetAndStride()
    {
        var graph = Run(
            Node("a", "aten.slice.Tensor", """{"node": "x"}, 0, 1, 4""", [3, 8]),
            Node("b", "aten.slice.Tensor", """{"node": "a"}, 1, 1, 8, 3""", [3, 3]),
            Node("c", "aten.cumsum.default", """{"node": "b"}, 1""", [3, 3]));

        var scan = Assert.IsType<ScanOp>(Assert.Single(graph.Operations));
        Assert.Equal(("x", new StridedView(Shape.Of(3, 3), 9, [8, 3]), null), (scan.Source, scan.SourceView, scan.Border));
    }

    [Fact]
    public void Run_SliceAlsoReadElsewhere_SliceKeptForItScanStillReadsInPlace()
    {
        var graph = Run(
            [Node("s", "aten.slice.Tensor", """{"node": "x"}, 1, 0, -1""", [4, 7]).Json,
             Node("c", "aten.cumsum.default", """{"node": "s"}, 1""", [4, 7]).Json,
             Node("r", "aten.relu.default", """{"node": "s"}""", [4, 7]).Json],
            "c", "r");

        Assert.Contains(graph.Operations, o => o is SliceOp);
        Assert.Contains(graph.Operations, o => o is ScanOp { Source: "x", SourceView: not null });
    }

    [Fact]
    public void Run_PadOfAScanAlsoReturned_PadStaysACopy()
    {
        var graph = Run(
            [Node("c", "aten.cumsum.default", """{"node": "x"}, 1""", [4, 8]).Json,
             Node("p", "aten.constant_pad_nd.default", """{"node": "c"}, [1, 0]""", [4, 9]).Json],
            "p", "c");

        Assert.Contains(graph.Operations, o => o is PadOp);
        Assert.Contains(graph.Operations, o => o is ScanOp { Border: null, Result.Name: "c" });
    }

    [Theory]
    [InlineData(false, 0, 7, true)]   // forward, x[:, :-1]: the prefix it keeps depends only on itself
    [InlineData(false, 1, 7, false)]  // forward, x[:, 1:]: element 1 needs element 0
    [InlineData(true, 1, 7, true)]    // reverse, x[:, 1:]
    [InlineData(true, 0, 7, false)]   // reverse, x[:, :-1]: element 6 needs element 7
    public void Run_SliceOfTheScanAlongItsAxis_MovedIntoTheReadsOnlyWhenItKeepsWhatItDependsOn(bool reverse, long start, long length, bool moved)
    {
        var graph = TestFiles.ReadNodes(
            Node("c", "aten.cumsum.default", """{"node": "x"}, 1""", [4, 8]).Json + ",\n" + Node("s", "aten.slice.Tensor", $$"""{"node": "c"}, 1, {{start}}, {{start + length}}""", [4, length]).Json,
            "s");
        if (reverse)
        {
            graph = graph with { Operations = [.. graph.Operations.Select(o => o is ScanOp scan ? scan with { Reverse = true } : o)] };
        }

        var after = new PassPipeline([new FuseScanWindows(), new EliminateDeadValues()]).Run(graph);

        Assert.Equal(moved, after.Operations is [ScanOp { Result.Name: "s", SourceView: { ElementOffset: var offset } }] && offset == start);
        Assert.Empty(IRVerifier.Verify(after));
    }

    [Fact]
    public void Run_SliceOfTheScanAcrossItsAxis_MovedIntoTheReads()
    {
        var graph = Run(
            Node("c", "aten.cumsum.default", """{"node": "x"}, 1""", [4, 8]),
            Node("s", "aten.slice.Tensor", """{"node": "c"}, 0, 1, 4, 2""", [2, 8]));

        var scan = Assert.IsType<ScanOp>(Assert.Single(graph.Operations));
        Assert.Equal(new StridedView(Shape.Of(2, 8), 8, [16, 1]), scan.SourceView);
    }

    [Fact]
    public void Run_PadOfAPadWithTheSameValue_OneBorderAtTheSummedOffset()
    {
        var graph = Run(
            Node("c", "aten.cumprod.default", """{"node": "x"}, 0""", [4, 8]),
            Node("p", "aten.constant_pad_nd.default", """{"node": "c"}, [1, 0], 1.0""", [4, 9]),
            Node("q", "aten.constant_pad_nd.default", """{"node": "p"}, [2, 0, 0, 3], 1.0""", [7, 11]));

        var scan = Assert.IsType<ScanOp>(Assert.Single(graph.Operations));
        Assert.Equal((ScanKind.Prod, 0, "q"), (scan.Kind, scan.Axis, scan.Result.Name));
        Assert.Equal(new ConstantBorder(Shape.Of(4, 8), [0, 3], 1.0), scan.Border);
    }

    [Fact]
    public void Run_PadOfAPadWithAnotherValue_TheOuterPadStaysACopy()
    {
        var graph = Run(
            Node("c", "aten.cumsum.default", """{"node": "x"}, 1""", [4, 8]),
            Node("p", "aten.constant_pad_nd.default", """{"node": "c"}, [1, 0]""", [4, 9]),
            Node("q", "aten.constant_pad_nd.default", """{"node": "p"}, [1, 0], -1.0""", [4, 10]));

        Assert.Collection(graph.Operations,
            o => Assert.Equal(new ConstantBorder(Shape.Of(4, 8), [0, 1], 0.0), Assert.IsType<ScanOp>(o).Border),
            o => Assert.IsType<PadOp>(o));
    }

    [Fact]
    public void Run_UnsqueezeBetweenScanAndPad_ScanOfTheUnsqueezedViewAlongTheMovedAxis()
    {
        var graph = Run(
            Node("s", "aten.slice.Tensor", """{"node": "x"}, 1, 0, -1""", [4, 7]),
            Node("c", "aten.cumsum.default", """{"node": "s"}, 1""", [4, 7]),
            Node("u", "aten.unsqueeze.default", """{"node": "c"}, 1""", [4, 1, 7]),
            Node("p", "aten.constant_pad_nd.default", """{"node": "u"}, [1, 0]""", [4, 1, 8]));

        var scan = Assert.IsType<ScanOp>(Assert.Single(graph.Operations));
        Assert.Equal((2, Shape.Of(4, 1, 7)), (scan.Axis, scan.ScannedShape));
        Assert.Equal(new StridedView(Shape.Of(4, 1, 7), 0, [8, 0, 1]), scan.SourceView);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_ScanOfAFlattenedSlice_ReadsTheFlattenedCopyNotAView()
    {
        var graph = Run(
            Node("s", "aten.slice.Tensor", """{"node": "x"}, 1, 0, -1""", [4, 7]),
            Node("v", "aten.view.default", """{"node": "s"}, [28]""", [28]),
            Node("c", "aten.cumsum.default", """{"node": "v"}, 0""", [28]));

        Assert.Contains(graph.Operations, o => o is SliceOp);
        Assert.Contains(graph.Operations, o => o is ScanOp { Source: "v", SourceView: null });
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_ScanOfAReshapeWithoutSlices_Unchanged()
    {
        var graph = TestFiles.ReadNodes(
            Node("v", "aten.view.default", """{"node": "x"}, [2, 16]""", [2, 16]).Json + ",\n" + Node("c", "aten.cumsum.default", """{"node": "v"}, 1""", [2, 16]).Json, "c");

        Assert.Equal(graph.Operations.AsEnumerable(), new FuseScanWindows().Run(graph).Operations.AsEnumerable());
    }

    /// <summary>The default pipeline's result for a graph of <paramref name="nodes"/> returning the last one.</summary>
    private static IRGraph Run(params (string Name, string Json)[] nodes) => Run([.. nodes.Select(n => n.Json)], nodes[^1].Name);

    private static IRGraph Run(string[] nodes, params string[] outputs)
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(string.Join(",\n", nodes), outputs));
        Assert.Empty(IRVerifier.Verify(graph));
        return graph;
    }

    private static (string Name, string Json) Node(string name, string target, string arguments, long[] shape) =>
        (name, $$"""{"name": "{{name}}", "target": "{{target}}", "args": [{{arguments}}], "kwargs": {}, "shape": [{{string.Join(", ", shape)}}], "dtype": "float32"}""");
}
