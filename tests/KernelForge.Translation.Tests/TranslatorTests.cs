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
             "nodes": [{"name": "cumsum", "target": "aten.cumsum.default", "args": [{"node": "x"}, 1], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
                       {"name": "relu", "target": "aten.relu.default", "args": [{"node": "cumsum"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}],
             "outputs": ["relu"]}
            """;

        var result = new Translator().Translate(json);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("cumsum", diagnostic.NodeName);
        Assert.Equal("aten.cumsum.default is not supported by the built-in translator yet.", diagnostic.Message);
    }

    [Fact]
    public void Translate_LinearRelu_AddmmKernelCoversPermuteThenPointwiseRelu()
    {
        var result = new Translator().Translate(TestFiles.Graph("linear_relu"));

        Assert.Collection(result.Kernels,
            k => Assert.Equal(("k0_matmul", KernelKind.Matmul, ScheduleSpace.Matmul.Default), (k.Name, k.Kind, k.Schedule)),
            k => Assert.Equal(KernelKind.Pointwise, k.Kind));
        Assert.Equal(["addmm", "permute"], result.Kernels[0].Origins.Order(StringComparer.Ordinal));
        Assert.Contains("bias added in the epilogue", result.Kernels[0].Strategy, StringComparison.Ordinal);
        Assert.Contains("acc[i][j] + __ldg(bias + col)", result.Source, StringComparison.Ordinal);
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
    public void Translate_TransposeReadByNonMatmul_DiagnosticNoSource()
    {
        const string json = """
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}],
             "nodes": [{"name": "t", "target": "aten.t.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [8, 4], "dtype": "float32"},
                       {"name": "relu", "target": "aten.relu.default", "args": [{"node": "t"}], "kwargs": {}, "shape": [8, 4], "dtype": "float32"}],
             "outputs": ["relu"]}
            """;

        var result = new Translator().Translate(json);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("t", diagnostic.NodeName);
        Assert.Contains("only as an operand of mm, bmm, addmm or matmul", diagnostic.Message, StringComparison.Ordinal);
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
