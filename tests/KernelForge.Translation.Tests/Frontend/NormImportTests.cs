using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>Batch, instance, group and multi-axis layer norm as the frontend rewrites them into row norms and per-channel pointwise ops.</summary>
public sealed class NormImportTests
{
    private const string Vectors = """
        , {"name": "w", "shape": [6], "dtype": "float32", "role": "parameter"}, {"name": "b", "shape": [6], "dtype": "float32", "role": "parameter"},
          {"name": "rm", "shape": [6], "dtype": "float32", "role": "buffer"}, {"name": "rv", "shape": [6], "dtype": "float32", "role": "buffer"}
        """;

    [Fact]
    public void Pipeline_BatchNormWithRunningStatistics_OnePointwiseKernel()
    {
        var graph = Read("""
            {"name": "t", "target": "aten._native_batch_norm_legit_no_training.default", "args": [{"node": "x"}, {"node": "w"}, {"node": "b"}, {"node": "rm"}, {"node": "rv"}, 0.1, 1e-05], "kwargs": {}, "shape": [[2, 6, 5, 7], [0], [0]], "dtype": ["float32", "float32", "float32"]},
            {"name": "out", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"}
            """);

        var kernels = PassPipeline.Default.Run(graph).Operations.Where(o => o is not ReshapeOp);  // views of [C] vectors cost nothing
        var fused = Assert.IsType<FusedPointwiseOp>(Assert.Single(kernels));
        Assert.Contains("rsqrt", fused.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BatchStatisticsOverSeveralImages_ChannelNormWithAffine()
    {
        var graph = Read("""
            {"name": "t", "target": "aten._native_batch_norm_legit.no_stats", "args": [{"node": "x"}, {"node": "w"}, {"node": "b"}, true, 0.1, 1e-05], "kwargs": {}, "shape": [[2, 6, 5, 7], [6], [6]], "dtype": ["float32", "float32", "float32"]},
            {"name": "out", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"}
            """);

        var norm = Assert.IsType<ChannelNormOp>(Assert.Single(graph.Operations));
        Assert.Equal(("x", "w", "b"), (norm.Source, norm.Weight, norm.Bias));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_InstanceNormAsExported_RowLayerNormOverEachPlane()
    {
        var graph = Read("""
            {"name": "v", "target": "aten.view.default", "args": [{"node": "x"}, [1, 12, 5, 7]], "kwargs": {}, "shape": [1, 12, 5, 7], "dtype": "float32"},
            {"name": "t", "target": "aten._native_batch_norm_legit.no_stats", "args": [{"node": "v"}, null, null, true, 0.1, 1e-05], "kwargs": {}, "shape": [[1, 12, 5, 7], [12], [12]], "dtype": ["float32", "float32", "float32"]},
            {"name": "g", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [1, 12, 5, 7], "dtype": "float32"},
            {"name": "out", "target": "aten.view.default", "args": [{"node": "g"}, [2, 6, 5, 7]], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"}
            """);

        var norm = Assert.Single(graph.Operations.OfType<RowLayerNormOp>());
        Assert.Equal(Shape.Of(12, 35), norm.Result.Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_GroupNorm_RowsAreImagesTimesGroups()
    {
        var graph = Read("""
            {"name": "t", "target": "aten.native_group_norm.default", "args": [{"node": "x"}, {"node": "w"}, {"node": "b"}, 2, 6, 35, 3, 1e-05], "kwargs": {}, "shape": [[2, 6, 5, 7], [2, 3], [2, 3]], "dtype": ["float32", "float32", "float32"]},
            {"name": "out", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"}
            """);

        Assert.Equal(Shape.Of(6, 70), Assert.Single(graph.Operations.OfType<RowLayerNormOp>()).Result.Shape);
        Assert.Equal(2, graph.Operations.OfType<BinaryOp>().Count());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_TrainingBatchNormWithRunningStatistics_UnreadStatisticsSkipped()
    {
        // torch.export of a training-mode nn.BatchNorm2d (track_running_stats=True): the new running statistics are
        // elements 3 and 4, read by nothing once the worker leaves buffer updates out of the outputs.
        var graph = Read("""
            {"name": "t", "target": "aten._native_batch_norm_legit_functional.default", "args": [{"node": "x"}, {"node": "w"}, {"node": "b"}, {"node": "rm"}, {"node": "rv"}, true, 0.1, 1e-05], "kwargs": {}, "shape": [[2, 6, 5, 7], [6], [6], [6], [6]], "dtype": ["float32", "float32", "float32", "float32", "float32"]},
            {"name": "out", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"},
            {"name": "new_mean", "target": "getitem", "args": [{"node": "t"}, 3], "kwargs": {}, "shape": [6], "dtype": "float32"},
            {"name": "new_var", "target": "getitem", "args": [{"node": "t"}, 4], "kwargs": {}, "shape": [6], "dtype": "float32"}
            """);

        var norm = Assert.Single(graph.Operations.OfType<ChannelNormOp>());
        Assert.Equal(("w", "b"), (norm.Weight, norm.Bias));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_TrainingBatchNormAsTorch211ExportsIt_BufferUpdatesSkipped()
    {
        // The buffer updates of a training-mode BatchNorm as torch 2.11 exports them: the new running statistics, and
        // num_batches_tracked + 1, an int64 op the translator refuses where its result is used. Nothing reads either.
        var result = GraphReader.Read($$"""
            {"schema_version": 1, "inputs": [{"name": "x", "shape": [2, 6, 5, 7], "dtype": "float32", "role": "input"}{{Vectors}},
               {"name": "nbt", "shape": [], "dtype": "int64", "role": "buffer"}],
             "nodes": [{"name": "add", "target": "aten.add.Tensor", "args": [{"node": "nbt"}, 1], "kwargs": {}, "shape": [], "dtype": "int64"},
                       {"name": "t", "target": "aten._native_batch_norm_legit_functional.default", "args": [{"node": "x"}, {"node": "w"}, {"node": "b"}, {"node": "rm"}, {"node": "rv"}, true, 0.1, 1e-05], "kwargs": {}, "shape": [[2, 6, 5, 7], [6], [6], [6], [6]], "dtype": ["float32", "float32", "float32", "float32", "float32"]},
                       {"name": "y", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"},
                       {"name": "new_mean", "target": "getitem", "args": [{"node": "t"}, 3], "kwargs": {}, "shape": [6], "dtype": "float32"},
                       {"name": "new_var", "target": "getitem", "args": [{"node": "t"}, 4], "kwargs": {}, "shape": [6], "dtype": "float32"},
                       {"name": "out", "target": "aten.relu.default", "args": [{"node": "y"}], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"}],
             "outputs": ["out"]}
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Graph!.Operations.OfType<ChannelNormOp>());
    }

    [Fact]
    public void Read_RunningStatisticsOfTrainingBatchNormRead_Refused()
    {
        var result = ReadResult("""
            {"name": "t", "target": "aten._native_batch_norm_legit_functional.default", "args": [{"node": "x"}, {"node": "w"}, {"node": "b"}, {"node": "rm"}, {"node": "rv"}, true, 0.1, 1e-05], "kwargs": {}, "shape": [[2, 6, 5, 7], [6], [6], [6], [6]], "dtype": ["float32", "float32", "float32", "float32", "float32"]},
            {"name": "y", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"},
            {"name": "new_mean", "target": "getitem", "args": [{"node": "t"}, 3], "kwargs": {}, "shape": [6], "dtype": "float32"},
            {"name": "out", "target": "aten.mul.Tensor", "args": [{"node": "y"}, {"node": "new_mean"}], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"}
            """);

        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("saved mean and rstd", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SavedMeanOfGroupNormRead_RefusedNamingIt()
    {
        var result = ReadResult("""
            {"name": "t", "target": "aten.native_group_norm.default", "args": [{"node": "x"}, {"node": "w"}, {"node": "b"}, 2, 6, 35, 3, 1e-05], "kwargs": {}, "shape": [[2, 6, 5, 7], [2, 3], [2, 3]], "dtype": ["float32", "float32", "float32"]},
            {"name": "out", "target": "getitem", "args": [{"node": "t"}, 1], "kwargs": {}, "shape": [2, 3], "dtype": "float32"}
            """);

        Assert.Contains("saved mean and rstd", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LayerNormOverThreeTrailingDims_OneRowPerLeadingIndex()
    {
        var result = GraphReader.Read("""
            {"schema_version": 1, "inputs": [{"name": "x", "shape": [2, 6, 5, 7], "dtype": "float32", "role": "input"}, {"name": "w", "shape": [6, 5, 7], "dtype": "float32", "role": "parameter"}],
             "nodes": [{"name": "t", "target": "aten.native_layer_norm.default", "args": [{"node": "x"}, [6, 5, 7], {"node": "w"}, null, 1e-05], "kwargs": {}, "shape": [[2, 6, 5, 7], [2, 1, 1, 1], [2, 1, 1, 1]], "dtype": ["float32", "float32", "float32"]},
                       {"name": "out", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 6, 5, 7], "dtype": "float32"}],
             "outputs": ["out"]}
            """);

        var norm = Assert.Single(result.Graph!.Operations.OfType<RowLayerNormOp>());
        Assert.Equal(Shape.Of(2, 210), norm.Result.Shape);
        Assert.NotNull(norm.Weight);
        Assert.Empty(IRVerifier.Verify(result.Graph));
    }

    private static IRGraph Read(string nodes) => ReadResult(nodes).Graph!;

    private static GraphReadResult ReadResult(string nodes) =>
        GraphReader.Read($$"""{"schema_version": 1, "inputs": [{"name": "x", "shape": [2, 6, 5, 7], "dtype": "float32", "role": "input"}{{Vectors}}], "nodes": [{{nodes}}], "outputs": ["out"]}""");
}
