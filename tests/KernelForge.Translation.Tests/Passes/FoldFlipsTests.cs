using KernelForge.Core;
using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class FoldFlipsTests
{
    private static readonly IRValue X = new("x", Shape.Of(4, 6), DataType.Float32);

    [Fact]
    public void Run_ReverseCumsumAsExportWritesIt_OneReverseScanOfTheInput()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadGraph("reverse_cumsum"));

        var scan = Assert.IsType<ScanOp>(Assert.Single(graph.Operations));
        Assert.Equal(("x", 1, true, "flip_1"), (scan.Source, scan.Axis, scan.Reverse, scan.Result.Name));
        Assert.Equal(["flip_1", "flip", "cumsum"], scan.Origins.AsEnumerable());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    public void Run_FlipsOfAnotherAxisThanTheScan_Unchanged(int innerAxis, int scanAxis, int outerAxis)
    {
        var graph = Graph(innerAxis, scanAxis, outerAxis);

        var after = new FoldFlips().Run(graph);

        Assert.Equal(graph.Operations.AsEnumerable(), after.Operations.AsEnumerable());
    }

    [Fact]
    public void Run_ForwardScanAlsoReturned_KeptBesideTheReverseScan()
    {
        var graph = Graph(1, 1, 1) with { Outputs = ["out", "scan"] };

        var after = PassPipeline.Default.Run(graph);

        Assert.Contains(after.Operations, o => o is ScanOp { Reverse: true, Source: "x" });
        Assert.Contains(after.Operations, o => o is ScanOp { Reverse: false, Result.Name: "scan" });
        Assert.Empty(IRVerifier.Verify(after));
    }

    private static IRGraph Graph(int innerAxis, int scanAxis, int outerAxis) => new(
        [new GraphInput(X, TensorRole.Input)],
        [
            new FlipOp(X with { Name = "flip" }, "x", [innerAxis]),
            new ScanOp(X with { Name = "scan" }, ScanKind.Sum, "flip", scanAxis, Reverse: false),
            new FlipOp(X with { Name = "out" }, "scan", [outerAxis]),
        ],
        ["out"]);
}
