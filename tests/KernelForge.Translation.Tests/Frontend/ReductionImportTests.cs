using KernelForge.Core;
using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>min, prod, argmax/argmin, var/std, vector norms and logsumexp as the frontend reads them.</summary>
public sealed class ReductionImportTests
{
    [Theory]
    [InlineData("aten.argmax.default", ReductionKind.ArgMax)]
    [InlineData("aten.argmin.default", ReductionKind.ArgMin)]
    public void Read_ArgExtremumOverInnerDim_Int64ReductionOfThatAxis(string target, ReductionKind kind)
    {
        var graph = Read($$"""{"name": "r", "target": "{{target}}", "args": [{"node": "x"}, 1], "kwargs": {}, "shape": [2, 5], "dtype": "int64"}""", "r", [2, 3, 5]).Graph!;

        var reduction = Assert.IsType<ReductionOp>(Assert.Single(graph.Operations));
        Assert.Equal((kind, 1, DataType.Int64, Shape.Of(2, 5)), (reduction.Kind, reduction.Axis, reduction.Result.DataType, reduction.Result.Shape));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_ArgmaxWithoutDim_FlattensThenReducesToAScalar()
    {
        var graph = Read("""{"name": "r", "target": "aten.argmax.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [], "dtype": "int64"}""", "r", [2, 3]).Graph!;

        Assert.Collection(graph.Operations,
            o => Assert.Equal(Shape.Of(6), Assert.IsType<ReshapeOp>(o).Result.Shape),
            o => Assert.Equal(Shape.Scalar, Assert.IsType<ReductionOp>(o).Result.Shape));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_MinDimValues_MinReductionAndAnUnreadArgminThatPassesRemove()
    {
        var graph = Read(
            """
            {"name": "t", "target": "aten.min.dim", "args": [{"node": "x"}, -1], "kwargs": {}, "shape": [[2, 3], [2, 3]], "dtype": ["float32", "int64"]},
            {"name": "gi", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 3], "dtype": "float32"}
            """, "gi", [2, 3, 5]).Graph!;

        Assert.Equal([ReductionKind.Min, ReductionKind.ArgMin], graph.Operations.OfType<ReductionOp>().Select(r => r.Kind));
        var optimized = PassPipeline.Default.Run(graph);
        Assert.Equal(ReductionKind.Min, Assert.IsType<ReductionOp>(Assert.Single(optimized.Operations)).Kind);
    }

    [Fact]
    public void Read_MaxDimIndices_ArgmaxIsTheTuplesSecondElement()
    {
        var graph = Read(
            """
            {"name": "t", "target": "aten.max.dim", "args": [{"node": "x"}, 1, true], "kwargs": {}, "shape": [[2, 1, 5], [2, 1, 5]], "dtype": ["float32", "int64"]},
            {"name": "gi", "target": "getitem", "args": [{"node": "t"}, 1], "kwargs": {}, "shape": [2, 1, 5], "dtype": "int64"}
            """, "gi", [2, 3, 5]).Graph!;

        var optimized = PassPipeline.Default.Run(graph);
        var argmax = Assert.IsType<ReductionOp>(Assert.Single(optimized.Operations));
        Assert.Equal((ReductionKind.ArgMax, DataType.Int64), (argmax.Kind, argmax.Result.DataType));
        Assert.Contains("gi", argmax.Origins);
    }

    [Theory]
    [InlineData("aten.var.correction", """[{"node": "x"}, [1]], "kwargs": {"correction": 1}""", ReductionKind.Variance, 1.0)]
    [InlineData("aten.var.correction", """[{"node": "x"}, [1]], "kwargs": {}""", ReductionKind.Variance, 1.0)]
    [InlineData("aten.std.correction", """[{"node": "x"}, [1]], "kwargs": {"correction": 0}""", ReductionKind.StandardDeviation, 0.0)]
    [InlineData("aten.var.dim", """[{"node": "x"}, [1], false], "kwargs": {}""", ReductionKind.Variance, 0.0)]
    [InlineData("aten.std.dim", """[{"node": "x"}, [1]], "kwargs": {}""", ReductionKind.StandardDeviation, 1.0)]
    public void Read_VarianceForms_CorrectionAsTorchDefaultsIt(string target, string arguments, ReductionKind kind, double correction)
    {
        var graph = Read($$"""{"name": "r", "target": "{{target}}", "args": {{arguments}}, "shape": [2, 5], "dtype": "float32"}""", "r", [2, 3, 5]).Graph!;

        var reduction = Assert.IsType<ReductionOp>(Assert.Single(graph.Operations));
        Assert.Equal((kind, correction), (reduction.Kind, reduction.Correction));
    }

    [Fact]
    public void Read_VarianceKeepdimKeyword_KeepsTheAxis()
    {
        var graph = Read("""{"name": "r", "target": "aten.var.correction", "args": [{"node": "x"}, [-1]], "kwargs": {"correction": 0, "keepdim": true}, "shape": [2, 3, 1], "dtype": "float32"}""", "r", [2, 3, 5]).Graph!;

        Assert.Equal(Shape.Of(2, 3, 1), Assert.IsType<ReductionOp>(Assert.Single(graph.Operations)).Result.Shape);
    }

    [Theory]
    [InlineData("1", ReductionKind.L1Norm)]
    [InlineData("2", ReductionKind.L2Norm)]
    [InlineData("2.0", ReductionKind.L2Norm)]
    public void Read_VectorNorm_NormKindForOrd(string ord, ReductionKind kind)
    {
        var graph = Read($$"""{"name": "r", "target": "aten.linalg_vector_norm.default", "args": [{"node": "x"}, {{ord}}, [-2, -1]], "kwargs": {}, "shape": [2], "dtype": "float32"}""", "r", [2, 3, 5]).Graph!;

        Assert.Equal(kind, graph.Operations.OfType<ReductionOp>().Single().Kind);
        Assert.Equal(Shape.Of(2, 15), graph.Operations.OfType<ReshapeOp>().Single().Result.Shape);
    }

    [Fact]
    public void Read_VectorNormOfInfiniteOrd_UnsupportedNamingOrd()
    {
        var result = Read("""{"name": "r", "target": "aten.linalg_vector_norm.default", "args": [{"node": "x"}, {"float": "inf"}, [1]], "kwargs": {}, "shape": [2, 5], "dtype": "float32"}""", "r", [2, 3, 5]);

        Assert.Null(result.Graph);
        Assert.Contains("`ord` = inf (only 1 and 2 are)", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ProdAndLogSumExp_OneReductionEach()
    {
        var graph = Read(
            """
            {"name": "p", "target": "aten.prod.dim_int", "args": [{"node": "x"}, 1], "kwargs": {}, "shape": [2, 5], "dtype": "float32"},
            {"name": "l", "target": "aten.logsumexp.default", "args": [{"node": "p"}, [1]], "kwargs": {}, "shape": [2], "dtype": "float32"}
            """, "l", [2, 3, 5]).Graph!;

        Assert.Equal([ReductionKind.Prod, ReductionKind.LogSumExp], graph.Operations.OfType<ReductionOp>().Select(r => r.Kind));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_ArgmaxOfTwoDims_Unsupported()
    {
        var result = Read("""{"name": "r", "target": "aten.argmax.default", "args": [{"node": "x"}, [0, 1]], "kwargs": {}, "shape": [5], "dtype": "int64"}""", "r", [2, 3, 5]);

        Assert.Contains("dim must be one integer or None", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    internal static GraphReadResult Read(string nodes, string output, int[] shape) =>
        GraphReader.Read($$"""{"schema_version": 1, "inputs": [{"name": "x", "shape": [{{string.Join(", ", shape)}}], "dtype": "float32", "role": "input"}], "nodes": [{{nodes}}], "outputs": ["{{output}}"]}""");
}
