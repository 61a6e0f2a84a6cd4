using KernelForge.Core;
using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>index_select and embedding as the frontend reads them: one gather whose index broadcasts over the other axes.</summary>
public sealed class IndexingImportTests
{
    [Fact]
    public void Read_IndexSelectMiddleDim_GatherWithTheIndexAsAColumnAlongTheAxis()
    {
        var graph = Read("""{"name": "out", "target": "aten.index_select.default", "args": [{"node": "x"}, 1, {"node": "i"}], "kwargs": {}, "shape": [3, 4, 5], "dtype": "float32"}""").Graph!;

        var gather = Assert.Single(graph.Operations.OfType<GatherOp>());
        Assert.Equal(("x", 1, Shape.Of(3, 4, 5)), (gather.Source, gather.Axis, gather.Result.Shape));
        Assert.Equal(Shape.Of(1, 4, 1), graph.Values()[gather.Index].Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_IndexSelectByAnIntegerArange_GatherByTheExactFloatRange()
    {
        var graph = Read("""
            {"name": "a", "target": "aten.arange.start_step", "args": [0, 7, 2], "kwargs": {"dtype": {"dtype": "int64"}}, "shape": [4], "dtype": "int64"},
            {"name": "out", "target": "aten.index_select.default", "args": [{"node": "x"}, -2, {"node": "a"}], "kwargs": {}, "shape": [3, 4, 5], "dtype": "float32"}
            """).Graph!;

        var gather = Assert.Single(graph.Operations.OfType<GatherOp>());
        Assert.Equal(DataType.Float32, graph.Values()[gather.Index].DataType);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Translate_IndexSelect_ReadsTheIndexAtTheAxisCoordinateOnly()
    {
        var result = new Translator().Translate(Json("""{"name": "out", "target": "aten.index_select.default", "args": [{"node": "x"}, 1, {"node": "i"}], "kwargs": {}, "shape": [3, 4, 5], "dtype": "float32"}"""));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("const int64_t k = __ldg(x1 + c1);", result.Source, StringComparison.Ordinal);
        Assert.Contains("y[o] = (uint64_t)k < 7ull ? __ldg(x0 + c0 * 35 + k * 5 + c2) : __int_as_float(0x7fffffff);", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_EmbeddingOf2dIndices_OneGatherOfRowsThenAFreeView()
    {
        var result = new Translator().Translate(Json("""{"name": "out", "target": "aten.embedding.default", "args": [{"node": "w"}, {"node": "ids"}, 0], "kwargs": {}, "shape": [2, 3, 6], "dtype": "float32"}"""));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var kernel = Assert.Single(result.Kernels);
        Assert.EndsWith("_gather", kernel.Name, StringComparison.Ordinal);
        Assert.Contains("const int64_t k = __ldg(x1 + c0);", result.Source, StringComparison.Ordinal);
        Assert.Contains("y[o] = (uint64_t)k < 11ull ? __ldg(x0 + k * 6 + c1) : __int_as_float(0x7fffffff);", result.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": "out", "target": "aten.index_select.default", "args": [{"node": "x"}, 1, {"node": "ids"}], "kwargs": {}, "shape": [3, 2, 3, 5], "dtype": "float32"}""", "not a vector")]
    [InlineData("""{"name": "out", "target": "aten.index_select.default", "args": [{"node": "x"}, 1, {"node": "v"}], "kwargs": {}, "shape": [3, 4, 5], "dtype": "float32"}""", "a float32 index")]
    [InlineData("""{"name": "out", "target": "aten.index_select.default", "args": [{"node": "x"}, 3, {"node": "i"}], "kwargs": {}, "shape": [3, 4, 5], "dtype": "float32"}""", "dim 3 is out of range")]
    [InlineData("""{"name": "out", "target": "aten.index_select.default", "args": [{"node": "x"}, [0, 1], {"node": "i"}], "kwargs": {}, "shape": [3, 4, 5], "dtype": "float32"}""", "dim must be one integer")]
    [InlineData("""{"name": "out", "target": "aten.embedding.default", "args": [{"node": "x"}, {"node": "ids"}], "kwargs": {}, "shape": [2, 3, 5], "dtype": "float32"}""", "is not 2-D")]
    [InlineData("""{"name": "out", "target": "aten.embedding.default", "args": [{"node": "w"}, {"node": "w"}], "kwargs": {}, "shape": [11, 6, 6], "dtype": "float32"}""", "a float32 index")]
    [InlineData("""{"name": "out", "target": "aten.embedding.default", "args": [{"node": "w"}, {"node": "ids"}, -1, "yes"], "kwargs": {}, "shape": [2, 3, 6], "dtype": "float32"}""", "expects a bool for `scale_grad_by_freq`")]
    public void Read_UnsupportedArguments_DiagnosticNamesTheNodeAndSaysWhy(string node, string expected)
    {
        var result = Read(node);

        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.NodeName == "out" && d.Message.Contains(expected, StringComparison.Ordinal));
    }

    private static GraphReadResult Read(string nodes) => GraphReader.Read(Json(nodes));

    /// <summary>Inputs x [3, 7, 5], w [11, 6] and v [4] (float32), i [4] and ids [2, 3] (int64).</summary>
    private static string Json(string nodes) => $$"""
        {"schema_version": 1,
         "inputs": [{"name": "x", "shape": [3, 7, 5], "dtype": "float32", "role": "input"}, {"name": "w", "shape": [11, 6], "dtype": "float32", "role": "parameter"},
                    {"name": "v", "shape": [4], "dtype": "float32", "role": "input"},
                    {"name": "i", "shape": [4], "dtype": "int64", "role": "input"}, {"name": "ids", "shape": [2, 3], "dtype": "int64", "role": "input"}],
         "nodes": [{{nodes}}],
         "outputs": ["out"]}
        """;
}
