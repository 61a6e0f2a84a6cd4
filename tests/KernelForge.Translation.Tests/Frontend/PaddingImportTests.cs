using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

public sealed class PaddingImportTests
{
    [Fact]
    public void Read_ReflectionPad2d_FlippedBordersConcatenatedPerDim()
    {
        var graph = Read("""{"name": "out", "target": "aten.reflection_pad2d.default", "args": [{"node": "x"}, [1, 3, 2, 0]], "kwargs": {}, "shape": [2, 3, 7, 10], "dtype": "float32"}""");

        Assert.Equal(Shape.Of(2, 3, 7, 10), graph.Operations[^1].Result.Shape);
        Assert.Equal("out", graph.Operations[^1].Result.Name);
        Assert.Equal(2, graph.Operations.OfType<ConcatOp>().Count());
        // Width: one left element (a single one needs no flip) and three right ones flipped; height: two on top, flipped.
        Assert.Equal(2, graph.Operations.OfType<FlipOp>().Count());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_ReplicationPad2d_EdgeRepeated()
    {
        var graph = Read("""{"name": "out", "target": "aten.replication_pad2d.default", "args": [{"node": "x"}, [0, 2, 0, 0]], "kwargs": {}, "shape": [2, 3, 5, 8], "dtype": "float32"}""");

        var concat = Assert.Single(graph.Operations.OfType<ConcatOp>());
        Assert.Equal(3, concat.Sources.Length);
        Assert.Equal(concat.Sources[1], concat.Sources[2]);  // the last column, twice
        Assert.Empty(graph.Operations.OfType<FlipOp>());
    }

    [Fact]
    public void Read_ReflectionAsWideAsTheDim_RefusedAsTorchDoes()
    {
        var result = GraphReader.Read(Graph("""{"name": "out", "target": "aten.reflection_pad2d.default", "args": [{"node": "x"}, [6, 0, 0, 0]], "kwargs": {}, "shape": [2, 3, 5, 12], "dtype": "float32"}"""));

        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("below the extent", StringComparison.Ordinal));
    }

    private static IRGraph Read(string nodes) => GraphReader.Read(Graph(nodes)).Graph!;

    private static string Graph(string nodes) =>
        $$"""{"schema_version": 1, "inputs": [{"name": "x", "shape": [2, 3, 5, 6], "dtype": "float32", "role": "input"}], "nodes": [{{nodes}}], "outputs": ["out"]}""";
}
