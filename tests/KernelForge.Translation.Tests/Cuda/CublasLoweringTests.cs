using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests.Cuda;

/// <summary>
/// The library policy's two lowerings of matrix products: cuBLAS (own kernel kept as the fallback) under
/// <c>allow-libraries</c>, the default, and own kernels only under <c>pure-cuda</c>.
/// </summary>
/// <remarks><c>Golden/&lt;graph&gt;.cu</c> is the default (allow-libraries) output; <c>Golden/pure_cuda/</c> holds the pure-cuda one where it differs.</remarks>
public sealed class CublasLoweringTests
{
    private static readonly Translator PureCuda = new() { AllowLibraries = false };

    public static TheoryData<string> Graphs() => [.. TestFiles.GraphNames];

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Translate_PureCuda_MatchesItsGoldenWhereThePolicyChangesTheCode(string graph)
    {
        var pure = PureCuda.Translate(TestFiles.Graph(graph));
        var allowed = new Translator().Translate(TestFiles.Graph(graph));
        var golden = $"Golden/pure_cuda/{graph}.cu";

        Assert.True(pure.Succeeded, string.Join("\n", pure.Diagnostics));
        if (pure.Source == allowed.Source)
        {
            Assert.False(File.Exists(TestFiles.Path(golden)), $"{golden} is stale: both policies give Golden/{graph}.cu; delete it.");
            return;
        }

        Golden.AssertMatches(pure.Source!, golden);
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Translate_PureCuda_NoLibraryCallAnywhere(string graph)
    {
        var pure = PureCuda.Translate(TestFiles.Graph(graph));

        Assert.DoesNotContain("cublas", pure.Source, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cudnn", pure.Source, StringComparison.OrdinalIgnoreCase);
        Assert.All(pure.Kernels, kernel => Assert.Equal(Lowering.OwnKernel, kernel.Schedule.Lowering));
    }

    [Fact]
    public void Translate_LinearGeluResidual_CublasGemmThenOneKernelForBiasAndChainWithOwnFallback()
    {
        var result = new Translator().Translate(TestFiles.Graph("linear_gelu_residual"));

        var kernel = Assert.Single(result.Kernels);
        Assert.Equal((KernelKind.Matmul, Lowering.Library), (kernel.Kind, kernel.Schedule.Lowering));
        Assert.Equal(["add", "addmm", "gelu", "mul", "permute"], kernel.Origins.Order(StringComparer.Ordinal));
        // Row-major [96, 1024] @ W^T (W stored [512, 1024]) is column-major W^T-as-stored, read transposed, times x.
        Assert.Contains("cublasGemmEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, 512, 96, 1024, &alpha, b, CUDA_R_32F, 1024, a, CUDA_R_32F, 1024,", result.Source, StringComparison.Ordinal);
        Assert.Contains("&beta, c, CUDA_R_32F, 512, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);", result.Source, StringComparison.Ordinal);
        Assert.Contains("cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH)", result.Source, StringComparison.Ordinal);
        Assert.Contains("cublasSetMathMode(handle, mode)", result.Source, StringComparison.Ordinal);
        var code = string.Join('\n', result.Source!.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        Assert.DoesNotContain("TF32", code, StringComparison.Ordinal);
        Assert.DoesNotContain("TENSOR_OP", code, StringComparison.Ordinal);
        Assert.Contains("c[o] = k0_matmul_epilogue(c[o] + __ldg(bias + col), __ldg(e0 + o));", result.Source, StringComparison.Ordinal);
        Assert.Contains(
            "    if (ctx != nullptr && ctx->cublas != nullptr) {\n"
            + "        const int status = gemm_k0_matmul(static_cast<cublasHandle_t>(ctx->cublas), v_x, v_p_fc_weight, v_add, stream);\n"
            + "        if (status != 0) return status;\n"
            + "        launch_k0_matmul_finish(v_p_fc_bias, v_residual, v_add, stream);\n"
            + "    } else {\n"
            + "        launch_k0_matmul(v_x, v_p_fc_weight, v_p_fc_bias, v_residual, v_add, stream);\n"
            + "    }\n",
            result.Source,
            StringComparison.Ordinal);
        Assert.StartsWith("k0_matmul: cuBLAS cublasGemmEx (96 x 512, K = 1024)", result.Lowerings.Single(note => note.Node == "addmm").How, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_BmmWithTransposedRight_StridedBatchedGemmWithTheStoredLayoutsLeadingDimensions()
    {
        // q [4, 50, 24] @ k^T, k stored [4, 40, 24]: cuBLAS's first operand is k read transposed (ld 24, stride 40 x 24),
        // its second q (ld 24, stride 50 x 24), C^T is 40 x 50 per batch (ld 40).
        var result = new Translator().Translate(TestFiles.Graph("bmm_transposed"));

        Assert.Contains("cublasGemmStridedBatchedEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, 40, 50, 24, &alpha, b, CUDA_R_32F, 24, 960LL, a, CUDA_R_32F, 24, 1200LL,", result.Source, StringComparison.Ordinal);
        Assert.Contains("&beta, c, CUDA_R_32F, 40, 2000LL, 4, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);", result.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("_finish", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_TransposedLeft_SecondCublasOperandTransposedWithLeadingDimensionM()
    {
        // t(x) @ w with x stored [K = 8, M = 6] and w [8, N = 5]: C^T (5 x 6) = w^T (ld 5) @ x-as-stored read transposed (ld 6).
        var result = new Translator().Translate("""
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [8, 6], "dtype": "float32", "role": "input"}, {"name": "w", "shape": [8, 5], "dtype": "float32", "role": "input"}],
             "nodes": [{"name": "t", "target": "aten.t.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [6, 8], "dtype": "float32"},
                       {"name": "mm", "target": "aten.mm.default", "args": [{"node": "t"}, {"node": "w"}], "kwargs": {}, "shape": [6, 5], "dtype": "float32"}],
             "outputs": ["mm"]}
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_T, 5, 6, 8, &alpha, b, CUDA_R_32F, 5, a, CUDA_R_32F, 6,", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_OwnKernelScheduleUnderAllowLibraries_OwnKernelAndTheNoteSaysCublasWasAllowed()
    {
        var result = new Translator().Translate(TestFiles.Graph("matmul"), new Dictionary<KernelKind, Schedule> { [KernelKind.Matmul] = ScheduleSpace.Matmul.Default });

        Assert.DoesNotContain("cublas", result.Source, StringComparison.OrdinalIgnoreCase);
        Assert.All(result.Lowerings.Where(note => note.How.StartsWith('k')), note =>
            Assert.EndsWith("[own kernel by schedule; allow-libraries also permits cuBLAS]", note.How, StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_LibraryScheduleUnderPureCuda_RefusedNamingThePolicy()
    {
        var library = ScheduleSpace.Matmul.Default with { Lowering = Lowering.Library };

        var ex = Assert.Throws<ArgumentException>(() => PureCuda.Translate(TestFiles.Graph("matmul"), new Dictionary<KernelKind, Schedule> { [KernelKind.Matmul] = library }));

        Assert.Contains("pure-cuda", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_OneLibraryScheduleUnderPureCuda_IgnoredWithAWarning()
    {
        var result = PureCuda.Translate(TestFiles.Graph("matmul"), ScheduleSpace.Matmul.Default with { Lowering = Lowering.Library });

        Assert.DoesNotContain("cublas", result.Source, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(result.Diagnostics, diagnostic => diagnostic.Message.Contains("under pure-cuda", StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_Cublas_HeaderListsTheLibraryReturnCodesOnlyThen()
    {
        const string Codes = "1004 when the cuBLAS handle is bound to another stream";

        Assert.Contains(Codes, new Translator().Translate(TestFiles.Graph("matmul")).Source, StringComparison.Ordinal);
        Assert.DoesNotContain(Codes, PureCuda.Translate(TestFiles.Graph("matmul")).Source, StringComparison.Ordinal);
    }

    [Fact]
    public void SpaceFor_FollowsThePolicy()
    {
        Assert.Equal(Lowering.Library, new Translator().SpaceFor(KernelKind.Matmul).Default.Lowering);
        Assert.Same(ScheduleSpace.Matmul, PureCuda.SpaceFor(KernelKind.Matmul));
    }
}
