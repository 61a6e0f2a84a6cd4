using KernelForge.Translation.Cuda;
using KernelForge.Translation.Diagnostics;

namespace KernelForge.Translation.Tests;

public sealed class TranslatorTests
{
    public static TheoryData<string> Graphs() => [.. TestFiles.GraphNames];

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Translate_GoldenGraph_MatchesGoldenSource(string graph)
    {
        var result = new Translator().Translate(TestFiles.Graph(graph));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Note);
        Golden.AssertMatches(result.Source!, $"Golden/{graph}.cu");
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Translate_Twice_SameBytes(string graph)
    {
        var json = TestFiles.Graph(graph);

        var first = new Translator().Translate(json);
        var second = new Translator().Translate(json);

        Assert.Equal(first.Source, second.Source);
        Assert.Equal(first.IRHash, second.IRHash);
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Translate_GoldenGraph_EveryNodeHasALoweringNote(string graph)
    {
        var result = new Translator().Translate(TestFiles.Graph(graph));

        Assert.NotEmpty(result.Lowerings);
        Assert.All(result.Lowerings, note => Assert.False(string.IsNullOrWhiteSpace(note.How)));
        Assert.Contains(result.Lowerings, note => note.How.StartsWith('k'));
    }

    [Fact]
    public void Translate_Swish_OneFusedKernelCoveringAllThreeNodes()
    {
        var result = new Translator().Translate(TestFiles.Graph("swish"));

        var kernel = Assert.Single(result.Kernels);
        Assert.Equal(KernelKind.Pointwise, kernel.Kind);
        Assert.Equal(["mul", "mul_1", "sigmoid"], kernel.Origins.Order(StringComparer.Ordinal));
        Assert.All(result.Lowerings, note => Assert.StartsWith("k0_pointwise", note.How, StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_RmsNorm_OneRowKernelNotAReductionAndAPointwise()
    {
        var result = new Translator().Translate(TestFiles.Graph("rms_norm"));

        var kernel = Assert.Single(result.Kernels);
        Assert.Equal("k0_rms_norm", kernel.Name);
        Assert.Contains("sqrtf(", result.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("rsqrtf(", result.Source, StringComparison.Ordinal);
        Assert.Equal(6, kernel.Origins.Length);
    }

    [Fact]
    public void Translate_LayerNorm_UsesRsqrtAsTorchDoes()
    {
        var result = new Translator().Translate(TestFiles.Graph("layer_norm"));

        Assert.Contains("rsqrtf(", result.Source, StringComparison.Ordinal);
        Assert.Contains("constexpr float kEps = 1E-05f;", result.Source, StringComparison.Ordinal);
        Assert.Equal(["native_layer_norm", "getitem"], Assert.Single(result.Kernels).Origins.ToArray());
    }

    [Fact]
    public void Translate_UnsupportedOp_DiagnosticNamingNodeAndOpNoSource()
    {
        const string json = """
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}],
             "nodes": [{"name": "roll", "target": "aten.histc.default", "args": [{"node": "x"}, 10], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
                       {"name": "relu", "target": "aten.relu.default", "args": [{"node": "roll"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}],
             "outputs": ["relu"]}
            """;

        var result = new Translator().Translate(json);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("roll", diagnostic.NodeName);
        Assert.Equal("aten.histc.default is not supported by the built-in translator yet.", diagnostic.Message);
    }

    [Fact]
    public void Translate_LinearRelu_OneAddmmKernelCoveringPermuteAndReluInItsEpilogue()
    {
        var result = new Translator { AllowLibraries = false }.Translate(TestFiles.Graph("linear_relu"));

        var kernel = Assert.Single(result.Kernels);
        Assert.Equal(("k0_matmul", KernelKind.Matmul, ScheduleSpace.Matmul.Default), (kernel.Name, kernel.Kind, kernel.Schedule));
        Assert.Equal(["addmm", "permute", "relu"], kernel.Origins.Order(StringComparer.Ordinal));
        Assert.Contains("bias added in the epilogue", kernel.Strategy, StringComparison.Ordinal);
        Assert.Contains("k0_matmul_epilogue(acc[i][j] + __ldg(bias + col))", result.Source, StringComparison.Ordinal);
        Assert.Contains("__ldg(bb + gr * kK + gk)", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Matmul_ScheduleSetsTileAndMicroTile()
    {
        var result = new Translator().Translate(TestFiles.Graph("matmul"), new Schedule(256, 1, 8));

        Assert.Equal(new Schedule(256, 1, 8), Assert.Single(result.Kernels).Schedule);
        Assert.Contains("constexpr int kTile = 128, kTileK = 16, kSide = 16, kItems = 8;", result.Source, StringComparison.Ordinal);
        Assert.Contains("k0_matmul<<<dim3(1, 1, 1), 256, 0, stream>>>", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_TransposeReadByNonMatmul_CopyKernelThenRelu()
    {
        const string json = """
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}],
             "nodes": [{"name": "t", "target": "aten.t.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [8, 4], "dtype": "float32"},
                       {"name": "relu", "target": "aten.relu.default", "args": [{"node": "t"}], "kwargs": {}, "shape": [8, 4], "dtype": "float32"}],
             "outputs": ["relu"]}
            """;

        var result = new Translator().Translate(json);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(["k0_permute", "k1_pointwise"], result.Kernels.Select(k => k.Name));
    }

    [Fact]
    public void Translate_ScheduleOnlyInRowSpace_AppliedToRowKernelsOnly()
    {
        var schedule = new Schedule(256, 4, 16);

        var relu = new Translator().Translate(TestFiles.Graph("relu"), schedule);
        var softmax = new Translator().Translate(TestFiles.Graph("softmax"), schedule);

        Assert.Equal(ScheduleSpace.Pointwise.Default, Assert.Single(relu.Kernels).Schedule);
        Assert.Equal(schedule, Assert.Single(softmax.Kernels).Schedule);
        Assert.Contains("__launch_bounds__(256)", softmax.Source, StringComparison.Ordinal);
        Assert.Contains("constexpr int kVpt = 16;", softmax.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ScheduleInNoSpace_WarningAndDefaults()
    {
        var result = new Translator().Translate(TestFiles.Graph("relu"), new Schedule(96, 4, 4));

        Assert.True(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message.Contains("ScheduleSpace", StringComparison.Ordinal));
        Assert.Equal(ScheduleSpace.Pointwise.Default, Assert.Single(result.Kernels).Schedule);
    }

    [Fact]
    public void Translate_PerKindScheduleOutsideItsSpace_Throws()
    {
        var schedules = new Dictionary<KernelKind, Schedule> { [KernelKind.ColumnReduction] = new(256, 4, 1) };

        Assert.Throws<ArgumentException>(() => new Translator().Translate(TestFiles.Graph("sum_reduction"), schedules));
    }

    [Fact]
    public void Translate_StdDecomposedToVarThenSqrt_RowReductionThenPointwise()
    {
        var result = new Translator().Translate(Graph([6, 10],
            """
            {"name": "var", "target": "aten.var.correction", "args": [{"node": "x"}, [-1]], "kwargs": {"correction": 0}, "shape": [6], "dtype": "float32"},
            {"name": "sqrt", "target": "aten.sqrt.default", "args": [{"node": "var"}], "kwargs": {}, "shape": [6], "dtype": "float32"}
            """, "sqrt"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal([KernelKind.RowReduction, KernelKind.Pointwise], result.Kernels.Select(k => k.Kind));
        Assert.Contains("total / 10.0f", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_L2NormDecomposedToPowSumPow_Translates()
    {
        var result = new Translator().Translate(Graph([6, 10],
            """
            {"name": "pow_1", "target": "aten.pow.Tensor_Scalar", "args": [{"node": "x"}, 2], "kwargs": {}, "shape": [6, 10], "dtype": "float32"},
            {"name": "sum_1", "target": "aten.sum.dim_IntList", "args": [{"node": "pow_1"}, [-1]], "kwargs": {}, "shape": [6], "dtype": "float32"},
            {"name": "pow_2", "target": "aten.pow.Tensor_Scalar", "args": [{"node": "sum_1"}, 0.5], "kwargs": {}, "shape": [6], "dtype": "float32"}
            """, "pow_2"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Collection(result.Kernels,  // x² computed in the sum's loads, then the square root
            k => Assert.Equal(KernelKind.RowReduction, k.Kind),
            k => Assert.Equal(KernelKind.Pointwise, k.Kind));
    }

    [Fact]
    public void Translate_Argmin_Int64OutputPointerAndShapeCheck()
    {
        var result = new Translator().Translate(TestFiles.Graph("argmin_last_dim"));

        Assert.Contains("int64_t* v_argmin = static_cast<int64_t*>(outputs[0].data);", result.Source, StringComparison.Ordinal);
        Assert.Contains("KF_INT64, 1, kOutput0Shape", result.Source, StringComparison.Ordinal);
        Assert.Equal(KernelKind.RowReduction, Assert.Single(result.Kernels).Kind);
    }

    [Fact]
    public void Translate_MaxPool1dAsUnsqueezedPool2d_OnePoolingKernelTheViewsFree()
    {
        var result = new Translator().Translate(TestFiles.Graph("max_pool1d"));

        var kernel = Assert.Single(result.Kernels);
        Assert.Equal((KernelKind.Pooling, "k0_max_pool"), (kernel.Kind, kernel.Name));
        Assert.Equal(["getitem", "max_pool2d_with_indices", "squeeze", "unsqueeze"], result.Lowerings.Where(n => n.How.StartsWith("k0", StringComparison.Ordinal) || n.How.StartsWith("view", StringComparison.Ordinal)).Select(n => n.Node).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Translate_AdaptiveMaxPool2dUneven_OneAdaptivePoolingKernelForTheTupleAndItsValues()
    {
        var result = new Translator().Translate(TestFiles.Graph("adaptive_max_pool2d"));

        var kernel = Assert.Single(result.Kernels);
        Assert.Equal((KernelKind.Pooling, "k0_adaptive_max_pool"), (kernel.Kind, kernel.Name));
        Assert.Equal(["adaptive_max_pool2d", "getitem"], kernel.Origins.Order(StringComparer.Ordinal));
        Assert.Contains("windows of up to 9 x 9", kernel.Strategy, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_AdaptiveAvgPool2dItems_OneThreadPerOutputShrinksTheGrid()
    {
        var one = new Translator().Translate(TestFiles.Graph("adaptive_avg_pool2d"));
        var four = new Translator().Translate(TestFiles.Graph("adaptive_avg_pool2d"), new Dictionary<KernelKind, Schedule> { [KernelKind.Pooling] = new(512, 1, 4) });

        // 32 x 256 planes of 6 x 6 outputs: 294912 threads at one output each, a quarter of them at four.
        Assert.Contains("k0_adaptive_avg_pool<<<1152, 256, 0, stream>>>", one.Source, StringComparison.Ordinal);
        Assert.Contains("k0_adaptive_avg_pool<<<144, 512, 0, stream>>>", four.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_PoolingItems_ShrinksTheGrid()
    {
        var one = new Translator().Translate(TestFiles.Graph("avg_pool3d"), new Dictionary<KernelKind, Schedule> { [KernelKind.Pooling] = new(512, 1, 1) });
        var four = new Translator().Translate(TestFiles.Graph("avg_pool3d"), new Dictionary<KernelKind, Schedule> { [KernelKind.Pooling] = new(512, 1, 4) });

        Assert.Contains("k0_avg_pool<<<24576, 512, 0, stream>>>", four.Source, StringComparison.Ordinal);
        Assert.Contains("k0_avg_pool<<<65535, 512, 0, stream>>>", one.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ExclusiveCumsum_OneScanKernelReadingXInPlaceWritingThePaddedOutputNoWorkspace()
    {
        var result = new Translator().Translate(TestFiles.Graph("exclusive_cumsum"));

        var kernel = Assert.Single(result.Kernels);
        Assert.Equal(("k0_cumsum_rows", KernelKind.Scan), (kernel.Name, kernel.Kind));
        Assert.DoesNotContain("ctx->workspace", result.Source, StringComparison.Ordinal);
        Assert.Contains("launch_k0_cumsum_rows(v_x, v_constant_pad_nd, stream);", result.Source, StringComparison.Ordinal);
        Assert.Contains("const float* xr = x + c0 * 8192;", result.Source, StringComparison.Ordinal);  // rows of x, not of a sliced copy
        Assert.All(result.Lowerings, note => Assert.StartsWith("k0_cumsum_rows", note.How, StringComparison.Ordinal));
    }

    public static TheoryData<int[], string, string, string> PaddedScansOfSlices() => new()
    {
        {   // reverse exclusive cumsum, padded on the right: out[:, j] = x[:, j + 1:].sum(1)
            [64, 300],
            """
            {"name": "s", "target": "aten.slice.Tensor", "args": [{"node": "x"}, 1, 1, 9223372036854775807], "kwargs": {}, "shape": [64, 299], "dtype": "float32"},
            {"name": "f", "target": "aten.flip.default", "args": [{"node": "s"}, [1]], "kwargs": {}, "shape": [64, 299], "dtype": "float32"},
            {"name": "c", "target": "aten.cumsum.default", "args": [{"node": "f"}, 1], "kwargs": {}, "shape": [64, 299], "dtype": "float32"},
            {"name": "r", "target": "aten.flip.default", "args": [{"node": "c"}, [1]], "kwargs": {}, "shape": [64, 299], "dtype": "float32"},
            {"name": "out", "target": "aten.constant_pad_nd.default", "args": [{"node": "r"}, [0, 1]], "kwargs": {}, "shape": [64, 300], "dtype": "float32"}
            """,
            "k0_cumsum_rows", "for (int64_t e = 299 + threadIdx.x; e < 300; e += 256) yr[e] = 0.0f;"
        },
        {   // exclusive cumsum along dim 0
            [300, 64],
            """
            {"name": "s", "target": "aten.slice.Tensor", "args": [{"node": "x"}, 0, 0, -1], "kwargs": {}, "shape": [299, 64], "dtype": "float32"},
            {"name": "c", "target": "aten.cumsum.default", "args": [{"node": "s"}, 0], "kwargs": {}, "shape": [299, 64], "dtype": "float32"},
            {"name": "out", "target": "aten.constant_pad_nd.default", "args": [{"node": "c"}, [0, 0, 1, 0]], "kwargs": {}, "shape": [300, 64], "dtype": "float32"}
            """,
            "k0_cumsum_columns", "yc[(1 + at) * 64] = acc;"
        },
        {   // exclusive cumprod: the border is the product's identity
            [64, 300],
            """
            {"name": "s", "target": "aten.slice.Tensor", "args": [{"node": "x"}, 1, 0, -1], "kwargs": {}, "shape": [64, 299], "dtype": "float32"},
            {"name": "c", "target": "aten.cumprod.default", "args": [{"node": "s"}, 1], "kwargs": {}, "shape": [64, 299], "dtype": "float32"},
            {"name": "out", "target": "aten.constant_pad_nd.default", "args": [{"node": "c"}, [1, 0], 1.0], "kwargs": {}, "shape": [64, 300], "dtype": "float32"}
            """,
            "k0_cumprod_rows", "for (int64_t e = threadIdx.x; e < 1; e += 256) yr[e] = 1.0f;"
        },
    };

    [Theory]
    [MemberData(nameof(PaddedScansOfSlices))]
    public void Translate_PaddedScanOfASlice_OneScanKernelNoWorkspace(int[] shape, string nodes, string kernel, string border)
    {
        var result = new Translator().Translate(Graph(shape, nodes, "out"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(kernel, Assert.Single(result.Kernels).Name);
        Assert.DoesNotContain("ctx->workspace", result.Source, StringComparison.Ordinal);
        Assert.Contains(border, result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_BmmWithMoreBatchesThanGridZ_FoldsTheBatchIntoGridX()
    {
        // 70000 products of [1, 64] x [64, 100] (a chunked einsum's shape): gridDim.z holds 65535, so each of the two
        // column tiles of each product is one block along x.
        var graph = """
            {"schema_version": 1, "inputs": [{"name": "a", "shape": [70000, 1, 64], "dtype": "float32", "role": "input"}, {"name": "b", "shape": [70000, 64, 100], "dtype": "float32", "role": "input"}],
             "nodes": [{"name": "out", "target": "aten.bmm.default", "args": [{"node": "a"}, {"node": "b"}], "kwargs": {}, "shape": [70000, 1, 100], "dtype": "float32"}],
             "outputs": ["out"]}
            """;

        var result = new Translator().Translate(graph, new Dictionary<KernelKind, Schedule> { [KernelKind.Matmul] = new(256, 1, 4) });

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("k0_matmul<<<dim3(140000, 1, 1), 256, 0, stream>>>", result.Source, StringComparison.Ordinal);
        Assert.Contains("const float* ab = a + (int64_t)(blockIdx.x / 2u) * (kM * kK);", result.Source, StringComparison.Ordinal);
        Assert.Contains("col0 = (int)(blockIdx.x % 2u) * kTile;", result.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("blockIdx.z", result.Source, StringComparison.Ordinal);
    }

    private static string Graph(int[] shape, string nodes, string output) =>
        $$"""{"schema_version": 1, "inputs": [{"name": "x", "shape": [{{string.Join(", ", shape)}}], "dtype": "float32", "role": "input"}], "nodes": [{{nodes}}], "outputs": ["{{output}}"]}""";

    [Fact]
    public void Translate_EverySchedule_OfEveryKernelKind_Succeeds()
    {
        foreach (var graph in TestFiles.GraphNames)
        {
            foreach (var space in ScheduleSpace.All)
            {
                foreach (var schedule in space.Enumerate())
                {
                    var result = new Translator().Translate(TestFiles.Graph(graph), new Dictionary<KernelKind, Schedule> { [space.Kind] = schedule });
                    Assert.True(result.Succeeded, $"{graph} with {space.Kind} {schedule}: {string.Join("; ", result.Diagnostics)}");
                }
            }
        }
    }
}
