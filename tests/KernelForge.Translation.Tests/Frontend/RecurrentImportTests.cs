using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>
/// The fused GRU and LSTM cells nn.GRUCell and nn.LSTMCell export on CUDA (gate chunks sliced, one elementwise chain; the
/// workspace refused), and the empty tensors read as zero fills (as is <c>fill.Scalar</c>, torch 1.13's spelling of ones_like(empty)).
/// </summary>
public sealed class RecurrentImportTests
{
    private const string GruInputs = """
        {"name": "ig", "shape": [2, 15], "dtype": "float32", "role": "input"},
        {"name": "hg", "shape": [2, 15], "dtype": "float32", "role": "input"},
        {"name": "h", "shape": [2, 5], "dtype": "float32", "role": "input"},
        {"name": "bi", "shape": [15], "dtype": "float32", "role": "parameter"},
        {"name": "bh", "shape": [15], "dtype": "float32", "role": "parameter"}
        """;

    private const string LstmInputs = """
        {"name": "ig", "shape": [2, 20], "dtype": "float32", "role": "input"},
        {"name": "hg", "shape": [2, 20], "dtype": "float32", "role": "input"},
        {"name": "c", "shape": [2, 5], "dtype": "float32", "role": "input"},
        {"name": "bi", "shape": [20], "dtype": "float32", "role": "parameter"},
        {"name": "bh", "shape": [20], "dtype": "float32", "role": "parameter"}
        """;

    [Theory]
    [InlineData("""{"node": "ig"}, {"node": "hg"}, {"node": "h"}, {"node": "bi"}, {"node": "bh"}""", 12)]
    [InlineData("""{"node": "ig"}, {"node": "hg"}, {"node": "h"}, null, null""", 6)]
    [InlineData("""{"node": "ig"}, {"node": "hg"}, {"node": "h"}""", 6)]
    [InlineData("""{"node": "ig"}, {"node": "hg"}, {"node": "h"}, {"node": "bi"}""", 9)]
    public void Read_FusedGruCell_ChunksSlicedAndHyOfStateShape(string arguments, int slices)
    {
        var result = Read(GruInputs, $$"""
            {"name": "t", "target": "aten._thnn_fused_gru_cell.default", "args": [{{arguments}}], "kwargs": {}, "shape": [[2, 5], [2, 25]], "dtype": ["float32", "float32"]},
            {"name": "hy", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 5], "dtype": "float32"}
            """, "hy");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var graph = result.Graph!;
        Assert.Equal(slices, graph.Operations.OfType<SliceOp>().Count());
        Assert.All(graph.Operations.OfType<SliceOp>(), s => Assert.Equal(5, s.Result.Shape[^1]));
        Assert.Equal([10L, 5L, 0L], graph.Operations.OfType<SliceOp>().Where(s => s.Source == "ig").Select(s => s.Start).OrderDescending());
        Assert.Equal(Shape.Of([2, 5]), graph.Operations.Single(o => o.Result.Name == graph.Outputs[0]).Result.Shape);
        Assert.Equal(2, graph.Operations.OfType<UnaryOp>().Count(u => u.Kind == UnaryOpKind.Sigmoid));
        Assert.Single(graph.Operations.OfType<UnaryOp>(), u => u.Kind == UnaryOpKind.Tanh);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_FusedLstmCell_HyAndCyBothUsable()
    {
        var result = Read(LstmInputs, """
            {"name": "t", "target": "aten._thnn_fused_lstm_cell.default", "args": [{"node": "ig"}, {"node": "hg"}, {"node": "c"}, {"node": "bi"}, {"node": "bh"}], "kwargs": {}, "shape": [[2, 5], [2, 5], [2, 20]], "dtype": ["float32", "float32", "float32"]},
            {"name": "hy", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 5], "dtype": "float32"},
            {"name": "cy", "target": "getitem", "args": [{"node": "t"}, 1], "kwargs": {}, "shape": [2, 5], "dtype": "float32"}
            """, "hy", "cy");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var graph = result.Graph!;
        Assert.Equal(16, graph.Operations.OfType<SliceOp>().Count());
        Assert.Equal(3, graph.Operations.OfType<UnaryOp>().Count(u => u.Kind == UnaryOpKind.Sigmoid));
        Assert.Equal(2, graph.Operations.OfType<UnaryOp>().Count(u => u.Kind == UnaryOpKind.Tanh));  // g and tanh(cy)
        Assert.All(graph.Outputs, o => Assert.Equal(Shape.Of([2, 5]), graph.Operations.Single(op => op.Result.Name == o).Result.Shape));
        Assert.NotEqual(graph.Outputs[0], graph.Outputs[1]);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Translate_FusedGruCell_OneChainAfterTheSlices()
    {
        var result = new Translator().Translate(Json(GruInputs, """
            {"name": "t", "target": "aten._thnn_fused_gru_cell.default", "args": [{"node": "ig"}, {"node": "hg"}, {"node": "h"}], "kwargs": {}, "shape": [[2, 5], [2, 25]], "dtype": ["float32", "float32"]},
            {"name": "hy", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 5], "dtype": "float32"}
            """, "hy"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("sigmoid(", result.Kernels[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoGruStepsSharingBiases_BiasChunksSlicedOnce()
    {
        var result = Read(GruInputs, """
            {"name": "t", "target": "aten._thnn_fused_gru_cell.default", "args": [{"node": "ig"}, {"node": "hg"}, {"node": "h"}, {"node": "bi"}, {"node": "bh"}], "kwargs": {}, "shape": [[2, 5], [2, 25]], "dtype": ["float32", "float32"]},
            {"name": "h1", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 5], "dtype": "float32"},
            {"name": "t2", "target": "aten._thnn_fused_gru_cell.default", "args": [{"node": "ig"}, {"node": "hg"}, {"node": "h1"}, {"node": "bi"}, {"node": "bh"}], "kwargs": {}, "shape": [[2, 5], [2, 25]], "dtype": ["float32", "float32"]},
            {"name": "h2", "target": "getitem", "args": [{"node": "t2"}, 0], "kwargs": {}, "shape": [2, 5], "dtype": "float32"}
            """, "h2");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(12, result.Graph!.Operations.OfType<SliceOp>().Count());  // the second step reuses every chunk (same gate inputs too)
        Assert.Empty(IRVerifier.Verify(result.Graph));
    }

    [Theory]
    [InlineData("aten._thnn_fused_gru_cell.default", "[[2, 5], [2, 25]]", 1, "the workspace of the fused GRU cell (for backward) is not supported")]
    [InlineData("aten._thnn_fused_lstm_cell.default", "[[2, 5], [2, 5], [2, 20]]", 2, "the workspace of the fused LSTM cell (for backward) is not supported")]
    public void Read_FusedCellWorkspace_RefusedNamingIt(string target, string shapes, int element, string expected)
    {
        var lstm = target.Contains("lstm", StringComparison.Ordinal);
        var result = Read(lstm ? LstmInputs : GruInputs, $$"""
            {"name": "t", "target": "{{target}}", "args": [{"node": "ig"}, {"node": "hg"}, {"node": "{{(lstm ? "c" : "h")}}"}], "kwargs": {}, "shape": {{shapes}}, "dtype": ["float32", "float32"{{(lstm ? ", \"float32\"" : "")}}]},
            {"name": "w", "target": "getitem", "args": [{"node": "t"}, {{element}}], "kwargs": {}, "shape": [2, 25], "dtype": "float32"}
            """, "w");

        Assert.False(result.Succeeded);
        Assert.Contains(expected, Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aten._thnn_fused_gru_cell.default", "[2, 14]", "[2, 14]", "[2, 5]", "", "3·H")]  // 14 is no multiple of 3
    [InlineData("aten._thnn_fused_gru_cell.default", "[2, 15]", "[2, 15]", "[2, 4]", "", "hx [B, H]")]  // 15 = 3·5, not 3·4
    [InlineData("aten._thnn_fused_gru_cell.default", "[2, 15]", "[2, 12]", "[2, 5]", "", "both gates")]
    [InlineData("aten._thnn_fused_gru_cell.default", "[2, 15]", "[2, 15]", "[2, 5]", "[12]", "input_bias [12]")]
    [InlineData("aten._thnn_fused_lstm_cell.default", "[2, 18]", "[2, 18]", "[2, 5]", "", "4·H")]  // 18 is no multiple of 4
    [InlineData("aten._thnn_fused_lstm_cell.default", "[2, 20]", "[2, 20]", "[3, 5]", "", "cx [B, H]")]
    public void Read_FusedCellShapesThatDoNotFit_DiagnosticNamingThem(string target, string inputGates, string hiddenGates, string state, string bias, string expected)
    {
        var inputs = $$"""
            {"name": "ig", "shape": {{inputGates}}, "dtype": "float32", "role": "input"},
            {"name": "hg", "shape": {{hiddenGates}}, "dtype": "float32", "role": "input"},
            {"name": "s", "shape": {{state}}, "dtype": "float32", "role": "input"}{{(bias == "" ? "" : $$""", {"name": "b", "shape": {{bias}}, "dtype": "float32", "role": "parameter"}""")}}
            """;
        var result = Read(inputs, $$"""
            {"name": "t", "target": "{{target}}", "args": [{"node": "ig"}, {"node": "hg"}, {"node": "s"}{{(bias == "" ? "" : """, {"node": "b"}""")}}], "kwargs": {}, "shape": [[2, 5], [2, 25]], "dtype": ["float32", "float32"]},
            {"name": "hy", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 5], "dtype": "float32"}
            """, "hy");

        Assert.False(result.Succeeded);
        var message = result.Diagnostics[0].Message;
        Assert.Contains("do not fit", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": "e", "target": "aten.empty_permuted.default", "args": [[3, 7], [1, 0]], "kwargs": {"dtype": {"dtype": "float32"}, "layout": {"layout": "strided"}, "device": {"device": "cuda:0"}, "pin_memory": false}, "shape": [3, 7], "dtype": "float32"}""")]
    [InlineData("""{"name": "e", "target": "aten.empty.memory_format", "args": [[3, 7]], "kwargs": {"dtype": {"dtype": "float32"}, "device": {"device": "cuda:0"}, "pin_memory": false}, "shape": [3, 7], "dtype": "float32"}""")]
    [InlineData("""{"name": "e", "target": "aten.empty_like.default", "args": [{"node": "x"}], "kwargs": {"pin_memory": false}, "shape": [3, 7], "dtype": "float32"}""")]
    [InlineData("""{"name": "e", "target": "aten.fill.Scalar", "args": [{"node": "x"}, 0.0], "kwargs": {}, "shape": [3, 7], "dtype": "float32"}""")]
    public void Read_Empty_ZeroFillOfTheShape(string empty)
    {
        var result = ReductionImportTests.Read(empty + """
            ,
            {"name": "f", "target": "aten.full_like.default", "args": [{"node": "e"}, 1], "kwargs": {"pin_memory": false}, "shape": [3, 7], "dtype": "float32"},
            {"name": "out", "target": "aten.sub.Tensor", "args": [{"node": "f"}, {"node": "x"}], "kwargs": {}, "shape": [3, 7], "dtype": "float32"}
            """, "out", [3, 7]);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var fill = Assert.IsType<UnaryOp>(result.Graph!.Operations.Single(o => o.Result.Name == "e"));
        Assert.Equal((UnaryOpKind.Identity, Shape.Of([3, 7])), (fill.Kind, fill.Result.Shape));
        var constant = Assert.IsType<ConstantOp>(result.Graph.Operations.Single(o => o.Result.Name == fill.Operand));
        Assert.Equal(0.0, constant.Value);
    }

    [Theory]
    [InlineData("int64")]
    [InlineData("bool")]
    public void Read_EmptyOfAnotherDtype_Refused(string dtype)
    {
        var result = ReductionImportTests.Read(
            $$$"""{"name": "out", "target": "aten.empty.memory_format", "args": [[3, 7]], "kwargs": {"dtype": {"dtype": "{{{dtype}}}"}}, "shape": [3, 7], "dtype": "{{{dtype}}}"}""",
            "out", [3, 7]);

        Assert.False(result.Succeeded);
        Assert.Contains("only float32 is handled", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    private static GraphReadResult Read(string inputs, string nodes, params string[] outputs) => GraphReader.Read(Json(inputs, nodes, outputs));

    private static string Json(string inputs, string nodes, params string[] outputs)
    {
        var names = string.Join(", ", outputs.Select(o => "\"" + o + "\""));
        return $$"""{"schema_version": 1, "inputs": [{{inputs}}], "nodes": [{{nodes}}], "outputs": [{{names}}]}""";
    }
}
