using KernelForge.Core;
using KernelForge.Translation.Diagnostics;
using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

public sealed class GraphReaderTests
{
    public static TheoryData<string> Graphs() => [.. TestFiles.GraphNames];

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Read_GoldenGraph_NoDiagnosticsAndVerifies(string graph)
    {
        var result = GraphReader.Read(TestFiles.Graph(graph));

        Assert.Empty(result.Diagnostics);
        Assert.Empty(IRVerifier.Verify(result.Graph!));
    }

    [Fact]
    public void Read_LayerNorm_InputsInAbiOrderWithRolesAndTupleElementResolved()
    {
        var graph = GraphReader.Read(TestFiles.Graph("layer_norm")).Graph!;

        Assert.Equal(["x", "p_norm_weight", "p_norm_bias"], graph.Inputs.Select(i => i.Value.Name));
        Assert.Equal([TensorRole.Input, TensorRole.Parameter, TensorRole.Parameter], graph.Inputs.Select(i => i.Role));
        var norm = Assert.IsType<RowLayerNormOp>(Assert.Single(graph.Operations));
        Assert.Equal(("x", "p_norm_weight", "p_norm_bias", 1e-5), (norm.Source, norm.Weight, norm.Bias, norm.Epsilon));
        Assert.Equal(["native_layer_norm"], graph.Outputs.ToArray());
    }

    [Fact]
    public void Read_UnsupportedOp_OneDiagnosticNamingTheNode()
    {
        var result = GraphReader.Read(Graph("""{"name": "conv", "target": "aten.histc.default", "args": [{"node": "x"}, 10], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "conv"));

        Assert.Null(result.Graph);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("conv", "aten.histc.default is not supported by the built-in translator yet."), (diagnostic.NodeName, diagnostic.Message));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"schema_version": 1, "inputs": []}""")]
    [InlineData("""{"schema_version": 1, "inputs": [], "nodes": [], "outputs": [3]}""")]
    [InlineData("""{"schema_version": 1, "inputs": [{"name": "x", "shape": [null], "dtype": "float32", "role": "input"}], "nodes": [], "outputs": ["x"]}""")]
    [InlineData("""{"schema_version": 1, "inputs": [], "nodes": [{"name": "r", "target": "aten.relu.default", "args": {"node": "x"}}], "outputs": []}""")]
    [InlineData("""{"schema_version": 1, "inputs": [], "nodes": [{"name": "r", "target": "aten.relu.default", "args": [{"node": 3}]}], "outputs": []}""")]
    [InlineData("""[1, 2]""")]
    public void Read_MalformedGraph_ErrorNotException(string json)
    {
        var result = GraphReader.Read(json);

        Assert.Null(result.Graph);
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(result.Diagnostics).Severity);
    }

    [Fact]
    public void Read_OtherSchemaVersion_ErrorSaysWhichVersionIsRead()
    {
        var result = GraphReader.Read("""{"schema_version": 2, "inputs": [], "nodes": [], "outputs": []}""");

        Assert.Contains("reads version 1", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ShapeDisagreesWithTorch_ErrorAtTheNode()
    {
        var result = GraphReader.Read(Graph("""{"name": "relu", "target": "aten.relu.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [8, 4], "dtype": "float32"}""", "relu"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("relu", diagnostic.NodeName);
        Assert.Contains("torch recorded shape [8, 4]", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Float16Input_ErrorSaysWhichTypesAreHandled()
    {
        var result = GraphReader.Read("""{"schema_version": 1, "inputs": [{"name": "t", "shape": [4], "dtype": "float16", "role": "input"}], "nodes": [], "outputs": ["t"]}""");

        Assert.Contains("float32 tensors (and int64 and bool ones converted to float32) only", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BoolInput_ConvertedOnceAndReadAsACondition()
    {
        var result = GraphReader.Read("""
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [4], "dtype": "float32", "role": "input"}, {"name": "m", "shape": [4], "dtype": "bool", "role": "input"}],
             "nodes": [{"name": "w", "target": "aten.where.self", "args": [{"node": "m"}, {"node": "x"}, 0.0], "kwargs": {}, "shape": [4], "dtype": "float32"},
                       {"name": "p", "target": "aten.mul.Tensor", "args": [{"node": "w"}, {"node": "m"}], "kwargs": {}, "shape": [4], "dtype": "float32"}],
             "outputs": ["p"]}
            """);

        Assert.Empty(result.Diagnostics);
        var graph = result.Graph!;
        var convert = Assert.Single(graph.Operations.OfType<ConvertOp>());
        Assert.Equal("m", convert.Source);
        Assert.Equal(DataType.Bool, graph.Inputs[1].Value.DataType);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_MaxDimIndicesUsed_ArgmaxReductionNamedForTheGetItem()
    {
        var result = GraphReader.Read(Graph(
            """
            {"name": "max_1", "target": "aten.max.dim", "args": [{"node": "x"}, 1], "kwargs": {}, "shape": [[4], [4]], "dtype": ["float32", "int64"]},
            {"name": "getitem_1", "target": "getitem", "args": [{"node": "max_1"}, 1], "kwargs": {}, "shape": [4], "dtype": "int64"}
            """, "getitem_1"));

        Assert.Empty(result.Diagnostics);
        var argmax = result.Graph!.Operations.OfType<ReductionOp>().Single(r => r.Kind == ReductionKind.ArgMax);
        Assert.Equal([argmax.Result.Name], result.Graph.Outputs.AsEnumerable());
        Assert.Contains("getitem_1", argmax.Origins);
    }

    [Fact]
    public void Read_SoftmaxOverFirstDim_AxisSoftmax()
    {
        var result = GraphReader.Read(Graph("""{"name": "s", "target": "aten._softmax.default", "args": [{"node": "x"}, 0, false], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "s"));

        var softmax = Assert.IsType<AxisSoftmaxOp>(Assert.Single(result.Graph!.Operations));
        Assert.Equal((0, false), (softmax.Axis, softmax.IsLog));
    }

    [Fact]
    public void Read_LogSoftmaxOverAxisFollowedByOnes_RowSoftmaxOfAView()
    {
        var result = GraphReader.Read("""
            {"schema_version": 1, "inputs": [{"name": "x", "shape": [4, 8, 1], "dtype": "float32", "role": "input"}],
             "nodes": [{"name": "s", "target": "aten._log_softmax.default", "args": [{"node": "x"}, 1, false], "kwargs": {}, "shape": [4, 8, 1], "dtype": "float32"}], "outputs": ["s"]}
            """);

        var softmax = Assert.Single(result.Graph!.Operations.OfType<RowSoftmaxOp>());
        Assert.Equal(Shape.Of(4, 8), softmax.Result.Shape);
        Assert.True(softmax.IsLog);
    }

    [Fact]
    public void Read_GeluTanhAddAlphaAndClampToInfinity_Imported()
    {
        var graph = GraphReader.Read(Graph(
            """
            {"name": "gelu", "target": "aten.gelu.default", "args": [{"node": "x"}], "kwargs": {"approximate": "tanh"}, "shape": [4, 8], "dtype": "float32"},
            {"name": "sub", "target": "aten.sub.Tensor", "args": [{"node": "gelu"}, {"node": "x"}], "kwargs": {"alpha": 0.5}, "shape": [4, 8], "dtype": "float32"},
            {"name": "clamp", "target": "aten.clamp.default", "args": [{"node": "sub"}, {"float": "-inf"}, 6.0], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "clamp")).Graph!;

        Assert.Equal(UnaryOpKind.GeluTanh, graph.Operations.OfType<UnaryOp>().Single().Kind);
        Assert.Contains(graph.Operations, o => o is ConstantOp { Value: 0.5 });
        Assert.Contains(graph.Operations, o => o is ConstantOp { Value: double.NegativeInfinity });
        Assert.Equal(BinaryOpKind.Minimum, Assert.IsType<BinaryOp>(graph.Operations[^1]).Kind);
    }

    [Fact]
    public void Read_ViewWithMinusOneAndUnsqueeze_ShapesInferred()
    {
        var graph = GraphReader.Read(Graph(
            """
            {"name": "view", "target": "aten.view.default", "args": [{"node": "x"}, [-1]], "kwargs": {}, "shape": [32], "dtype": "float32"},
            {"name": "unsqueeze", "target": "aten.unsqueeze.default", "args": [{"node": "view"}, 0], "kwargs": {}, "shape": [1, 32], "dtype": "float32"}
            """, "unsqueeze")).Graph!;

        Assert.Equal(Shape.Of(1, 32), graph.Values()["unsqueeze"].Shape);
    }

    [Fact]
    public void Read_SumOverAdjacentDimsKeepdim_ReshapeReduceReshape()
    {
        var graph = GraphReader.Read(Graph("""{"name": "sum_1", "target": "aten.sum.dim_IntList", "args": [{"node": "x"}, [0, 1], true], "kwargs": {}, "shape": [1, 1], "dtype": "float32"}""", "sum_1")).Graph!;

        Assert.Collection(graph.Operations, o => Assert.IsType<ReshapeOp>(o), o => Assert.Equal(0, Assert.IsType<ReductionOp>(o).Axis), o => Assert.IsType<ReshapeOp>(o));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_ReadsUndefinedNode_Error()
    {
        var result = GraphReader.Read(Graph("""{"name": "relu", "target": "aten.relu.default", "args": [{"node": "ghost"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "relu"));

        Assert.Contains("%ghost", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    /// <summary>A graph over one float32[4, 8] input <c>x</c> with the given nodes.</summary>
    private static string Graph(string nodes, string output) =>
        $$"""{"schema_version": 1, "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}], "nodes": [{{nodes}}], "outputs": ["{{output}}"]}""";
}
