using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>In-place ops (left by make_fx without functionalization): their functional op, after which the name means the new value.</summary>
public sealed class InPlaceImportTests
{
    [Fact]
    public void Read_InPlaceOnAnIntermediate_LaterReadersSeeTheNewValue()
    {
        var graph = TestFiles.ReadNodes(
            """
            {"name": "s", "target": "aten.mul.Tensor", "args": [{"node": "x"}, {"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "r", "target": "aten.sqrt_.default", "args": [{"node": "s"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "out", "target": "aten.add.Tensor", "args": [{"node": "s"}, {"node": "w"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "out", "s");

        var add = Assert.Single(graph.Operations.OfType<BinaryOp>(), o => o.Kind == BinaryOpKind.Add);
        Assert.Equal("r", add.Left);                        // out = sqrt(x*x) + w: the name s now means the sqrt
        Assert.Equal(["out", "r"], graph.Outputs.ToArray());  // and so does returning s
        Assert.Contains(graph.Operations, o => o is UnaryOp { Kind: UnaryOpKind.Sqrt, Operand: "s" });
    }

    [Theory]
    [InlineData("""{"name": "r", "target": "aten.relu_.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "graph input %x")]
    [InlineData("""
        {"name": "s", "target": "aten.mul.Tensor", "args": [{"node": "x"}, 2.0], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
        {"name": "v", "target": "aten.view.default", "args": [{"node": "s"}, [32]], "kwargs": {}, "shape": [32], "dtype": "float32"},
        {"name": "r", "target": "aten.relu_.default", "args": [{"node": "s"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
        """, "the view %v aliases")]
    [InlineData("""
        {"name": "s", "target": "aten.mul.Tensor", "args": [{"node": "x"}, 2.0], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
        {"name": "v", "target": "aten.view.default", "args": [{"node": "s"}, [32]], "kwargs": {}, "shape": [32], "dtype": "float32"},
        {"name": "r", "target": "aten.relu_.default", "args": [{"node": "v"}], "kwargs": {}, "shape": [32], "dtype": "float32"}
        """, "is a view of another tensor")]
    public void Read_InPlaceThatWouldShowElsewhere_RefusedSayingWhy(string nodes, string expected)
    {
        var result = GraphReader.Read($$"""
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}],
             "nodes": [{{nodes}}],
             "outputs": ["r"]}
            """);

        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.ToString().Contains(expected, StringComparison.Ordinal) && d.ToString().Contains("aten.relu_.default", StringComparison.Ordinal));
    }
}
