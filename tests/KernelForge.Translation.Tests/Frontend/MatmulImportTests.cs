using KernelForge.Translation.Diagnostics;
using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>aten.mm, bmm, addmm and matmul, and the transposes that feed them, as the frontend reads them.</summary>
public sealed class MatmulImportTests
{
    [Fact]
    public void Read_Mm_MatmulOpWithProductShape()
    {
        var graph = Read(
            """{"name": "mm", "target": "aten.mm.default", "args": [{"node": "a"}, {"node": "b"}], "kwargs": {}, "shape": [6, 5], "dtype": "float32"}""",
            ("a", [6, 4]), ("b", [4, 5])).Graph!;

        var mm = Assert.IsType<MatmulOp>(Assert.Single(graph.Operations));
        Assert.Equal(("a", "b", (string?)null, false, false), (mm.Left, mm.Right, mm.Bias, mm.TransposeLeft, mm.TransposeRight));
        Assert.Equal(Shape.Of(6, 5), mm.Result.Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_Bmm_BatchedProductShape()
    {
        var graph = Read(
            """{"name": "bmm", "target": "aten.bmm.default", "args": [{"node": "a"}, {"node": "b"}], "kwargs": {}, "shape": [3, 6, 5], "dtype": "float32"}""",
            ("a", [3, 6, 4]), ("b", [3, 4, 5])).Graph!;

        Assert.Equal(Shape.Of(3, 6, 5), Assert.IsType<MatmulOp>(Assert.Single(graph.Operations)).Result.Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_AddmmWithUnitScalars_MatmulOpWithBias()
    {
        var graph = Read(
            """{"name": "addmm", "target": "aten.addmm.default", "args": [{"node": "c"}, {"node": "a"}, {"node": "b"}], "kwargs": {"beta": 1, "alpha": 1.0}, "shape": [6, 5], "dtype": "float32"}""",
            ("c", [5]), ("a", [6, 4]), ("b", [4, 5])).Graph!;

        Assert.Equal("c", Assert.IsType<MatmulOp>(Assert.Single(graph.Operations)).Bias);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Theory]
    [InlineData("""{"beta": 0.5}""", 0.5, 1.0)]
    [InlineData("""{"alpha": 2}""", 1.0, 2.0)]
    public void Read_AddmmWithOtherScalars_ProductThenScaledSum(string kwargs, double beta, double alpha)
    {
        var result = Read(
            $$"""{"name": "addmm", "target": "aten.addmm.default", "args": [{"node": "c"}, {"node": "a"}, {"node": "b"}], "kwargs": {{kwargs}}, "shape": [6, 5], "dtype": "float32"}""",
            ("c", [5]), ("a", [6, 4]), ("b", [4, 5]));

        Assert.Empty(result.Diagnostics);
        var graph = result.Graph!;
        var matmul = Assert.Single(graph.Operations.OfType<MatmulOp>());
        Assert.Null(matmul.Bias);
        var sum = Assert.IsType<BinaryOp>(graph.Operations[^1]);
        Assert.Equal(("addmm", BinaryOpKind.Add), (sum.Result.Name, sum.Kind));
        var constants = graph.Operations.OfType<ConstantOp>().Select(c => c.Value).ToList();
        Assert.Contains(beta, constants);
        Assert.Contains(alpha, constants);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_AddmmBetaZero_SelfNotRead()
    {
        var result = Read(
            """{"name": "addmm", "target": "aten.addmm.default", "args": [{"node": "c"}, {"node": "a"}, {"node": "b"}], "kwargs": {"beta": 0}, "shape": [6, 5], "dtype": "float32"}""",
            ("c", [5]), ("a", [6, 4]), ("b", [4, 5]));

        Assert.Empty(result.Diagnostics);
        Assert.DoesNotContain(result.Graph!.Operations, op => op.Operands.Contains("c"));
    }

    [Fact]
    public void Read_MmOfFloat16_UnsupportedAtTheNode()
    {
        const string json = """
            {"schema_version": 1,
             "inputs": [{"name": "a", "shape": [6, 4], "dtype": "float16", "role": "input"}, {"name": "b", "shape": [4, 5], "dtype": "float16", "role": "input"}],
             "nodes": [{"name": "mm", "target": "aten.mm.default", "args": [{"node": "a"}, {"node": "b"}], "kwargs": {}, "shape": [6, 5], "dtype": "float16"}],
             "outputs": ["mm"]}
            """;

        var result = GraphReader.Read(json);

        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.NodeName == "mm"
            && d.Message == "aten.mm.default is not supported by the built-in translator yet: float16 operands (only float32 is).");
    }

    [Theory]
    [InlineData("aten.mm.default", "[6, 4]", "[5, 5]", "cannot multiply [6, 4] by [5, 5]")]
    [InlineData("aten.mm.default", "[3, 6, 4]", "[3, 4, 5]", "multiplies rank-2 tensors")]
    [InlineData("aten.bmm.default", "[3, 6, 4]", "[2, 4, 5]", "cannot multiply [3, 6, 4] by [2, 4, 5]")]
    public void Read_MismatchedOperands_ErrorAtTheNode(string target, string left, string right, string message)
    {
        var json = $$"""
            {"schema_version": 1,
             "inputs": [{"name": "a", "shape": {{left}}, "dtype": "float32", "role": "input"}, {"name": "b", "shape": {{right}}, "dtype": "float32", "role": "input"}],
             "nodes": [{"name": "p", "target": "{{target}}", "args": [{"node": "a"}, {"node": "b"}], "kwargs": {}, "shape": [6, 5], "dtype": "float32"}],
             "outputs": ["p"]}
            """;

        var diagnostic = Assert.Single(GraphReader.Read(json).Diagnostics);

        Assert.Equal(("p", DiagnosticSeverity.Error), (diagnostic.NodeName, diagnostic.Severity));
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MatmulOf3DBy2D_FlattenedRowsMmAndViewBack()
    {
        var graph = Read(
            """{"name": "matmul", "target": "aten.matmul.default", "args": [{"node": "a"}, {"node": "b"}], "kwargs": {}, "shape": [2, 3, 5], "dtype": "float32"}""",
            ("a", [2, 3, 4]), ("b", [4, 5])).Graph!;

        Assert.Collection(graph.Operations,
            o => Assert.Equal(Shape.Of(6, 4), Assert.IsType<ReshapeOp>(o).Result.Shape),
            o => Assert.Equal(Shape.Of(6, 5), Assert.IsType<MatmulOp>(o).Result.Shape),
            o => Assert.Equal(Shape.Of(2, 3, 5), Assert.IsType<ReshapeOp>(o).Result.Shape));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Theory]
    [InlineData("aten.permute.default", "[[1, 0]]")]
    [InlineData("aten.t.default", "[]")]
    [InlineData("aten.transpose.int", "[0, -1]")]
    public void Read_TransposeOfMatrix_TransposeOp(string target, string extraArgs)
    {
        var args = extraArgs == "[]" ? """[{"node": "a"}]""" : $$"""[{"node": "a"}, {{extraArgs[1..^1]}}]""";
        var graph = Read($$"""{"name": "t", "target": "{{target}}", "args": {{args}}, "kwargs": {}, "shape": [4, 6], "dtype": "float32"}""", ("a", [6, 4])).Graph!;

        var transpose = Assert.IsType<TransposeOp>(Assert.Single(graph.Operations));
        Assert.Equal(("a", Shape.Of(4, 6)), (transpose.Source, transpose.Result.Shape));
    }

    [Fact]
    public void Read_PermuteOtherThanLastTwo_PermuteOp()
    {
        var result = Read(
            """{"name": "p", "target": "aten.permute.default", "args": [{"node": "a"}, [1, 0, 2]], "kwargs": {}, "shape": [3, 2, 4], "dtype": "float32"}""",
            ("a", [2, 3, 4]));

        Assert.Equal([1, 0, 2], Assert.IsType<PermuteOp>(Assert.Single(result.Graph!.Operations)).Order.AsEnumerable());
    }

    private static GraphReadResult Read(string nodes, params (string Name, int[] Shape)[] inputs)
    {
        var declared = string.Join(", ", inputs.Select(i => $$"""{"name": "{{i.Name}}", "shape": [{{string.Join(", ", i.Shape)}}], "dtype": "float32", "role": "input"}"""));
        var output = nodes[(nodes.IndexOf("\"name\": \"", StringComparison.Ordinal) + 9)..].Split('"')[0];
        return GraphReader.Read($$"""{"schema_version": 1, "inputs": [{{declared}}], "nodes": [{{nodes}}], "outputs": ["{{output}}"]}""");
    }
}
