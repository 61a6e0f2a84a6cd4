using KernelForge.Evaluation.Compilation;
using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests.Cuda;

/// <summary>
/// The TF32 tensor-core implicit-GEMM convolution, a schedule knob (<see cref="Schedule.Math"/>) that only the convolution
/// space declares: eager torch runs fp32 convolutions in TF32 but matmuls in full fp32.
/// </summary>
/// <remarks><c>Golden/tf32/&lt;graph&gt;.cu</c> holds the TF32 output of a few convolution graphs; <see cref="GoldenNvccTests"/> builds them too.</remarks>
public sealed class TensorCoreConvolutionTests
{
    /// <summary>Every graph whose convolution takes the implicit GEMM (depthwise_conv2d takes the direct kernel).</summary>
    private static readonly string[] GemmConvolutionGraphs = ["conv1d", "conv2d", "conv3d", "conv_bn_relu_eval", "conv_transpose2d", "grouped_conv2d", "strided_conv2d"];

    /// <summary>The golden graphs and the TF32 schedule each is written with: 128 x 128 tiles (two epilogue passes) with a bias, 64 x 64 with a fused chain.</summary>
    private static readonly Dictionary<string, Schedule> GoldenSchedules = new(StringComparer.Ordinal)
    {
        ["conv2d"] = new Schedule(256, 1, 8) { Math = MathMode.Tf32TensorCores },
        ["conv_bn_relu_eval"] = Tf32Default,
    };

    /// <summary>The most spill bytes (stores or loads) a TF32 convolution kernel may have on sm_90; see the nvcc test.</summary>
    private const int Sm90SpillBytes = 16;

    private static Schedule Tf32Default => ScheduleSpace.Convolution.Default with { Math = MathMode.Tf32TensorCores };

    public static TheoryData<string> Graphs() => [.. GemmConvolutionGraphs];

    public static TheoryData<string> GoldenGraphs() => [.. GoldenSchedules.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Spaces_Tf32OnlyForConvolutions_UnderBothPolicies()
    {
        foreach (var kind in Enum.GetValues<KernelKind>())
        {
            foreach (var allowLibraries in new[] { false, true })
            {
                var space = ScheduleSpace.For(kind, allowLibraries);
                var tf32 = space.Enumerate().Where(schedule => schedule.Math == MathMode.Tf32TensorCores).ToList();

                Assert.Equal(MathMode.Fp32Fma, space.Default.Math);
                Assert.Equal(kind == KernelKind.Convolution, space.MathModes.Contains(MathMode.Tf32TensorCores));
                Assert.Equal(kind == KernelKind.Convolution, tf32.Count > 0);
                Assert.Equal(kind == KernelKind.Convolution, space.Contains(space.Default with { Math = MathMode.Tf32TensorCores }));
            }
        }
    }

    [Fact]
    public void Enumerate_Convolution_EachShapeInBothMathModes()
    {
        var schedules = ScheduleSpace.Convolution.Enumerate().ToList();

        Assert.Equal(2 * 1 * 2 * 2, schedules.Count);
        Assert.Equal(schedules.Count, schedules.Distinct().Count());
        Assert.Equal(schedules.Where(s => s.Math == MathMode.Fp32Fma).Select(s => s with { Math = MathMode.Tf32TensorCores }), schedules.Where(s => s.Math == MathMode.Tf32TensorCores));
        Assert.Contains(Tf32Default, schedules);
    }

    [Fact]
    public void ToString_Tf32Schedule_SaysTensorCores()
    {
        Assert.Equal("block 256, vector 1, items 4, tf32 tensor cores", Tf32Default.ToString());
        Assert.Equal("block 256, vector 1, items 4", ScheduleSpace.Convolution.Default.ToString());
    }

    [Fact]
    public void Translate_MatmulAskedForTf32_Refused()
    {
        var translator = new Translator { AllowLibraries = false };
        var tf32Matmul = ScheduleSpace.Matmul.Default with { Math = MathMode.Tf32TensorCores };

        Assert.Throws<ArgumentException>(() => translator.Translate(TestFiles.Graph("matmul"), new Dictionary<KernelKind, Schedule> { [KernelKind.Matmul] = tf32Matmul }));
        Assert.Throws<ArgumentException>(() => CudaEmitter.Emit(TestFiles.ReadGraph("matmul"), kind => ScheduleSpace.For(kind).Default with { Math = MathMode.Tf32TensorCores }));
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Translate_Tf32Schedule_WmmaKernelWhereTheDefaultHasNone(string graph)
    {
        // The own kernel's default (pure-cuda: under allow-libraries the default is cuDNN, whose notes name TF32).
        var fma = new Translator { AllowLibraries = false }.Translate(TestFiles.Graph(graph));
        var tf32 = Tf32(graph, Tf32Default);

        Assert.True(tf32.Succeeded, string.Join("\n", tf32.Diagnostics));
        foreach (var marker in new[] { "wmma", "tf32", "mma.h" })
        {
            Assert.DoesNotContain(marker, fma.Source, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("#include <mma.h>", tf32.Source, StringComparison.Ordinal);
        Assert.Contains("wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major>", tf32.Source, StringComparison.Ordinal);
        Assert.Contains("wmma::fragment<wmma::accumulator, 16, 16, 8, float>", tf32.Source, StringComparison.Ordinal);
        Assert.Contains("wmma::__float_to_tf32(rb[l])", tf32.Source, StringComparison.Ordinal);
        Assert.Contains("wmma::mma_sync(acc[i][j], af[i], bf[j], acc[i][j]);", tf32.Source, StringComparison.Ordinal);
        Assert.Contains("#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800", tf32.Source, StringComparison.Ordinal);
        var kernel = Assert.Single(tf32.Kernels, k => k.Kind == KernelKind.Convolution);
        Assert.Equal(Tf32Default, kernel.Schedule);
        Assert.Contains("TF32 tensor cores (wmma 16x16x8), fp32 accumulate", kernel.Strategy, StringComparison.Ordinal);
        Assert.Contains(tf32.Lowerings, note => note.How.Contains("TF32 tensor cores (wmma 16x16x8), fp32 accumulate", StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_Tf32ScheduleOnADepthwiseConvolution_DirectFmaKernelSaysWhy()
    {
        var tf32 = Tf32("depthwise_conv2d", Tf32Default);

        Assert.DoesNotContain("wmma", tf32.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("mma.h", tf32.Source, StringComparison.Ordinal);
        Assert.Contains("the schedule's TF32 tensor cores do not apply", Assert.Single(tf32.Kernels).Strategy, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Tf32MatmulAndConvolutionGraph_MatmulStaysFp32()
    {
        var pure = new Translator { AllowLibraries = false };
        var schedules = new Dictionary<KernelKind, Schedule> { [KernelKind.Convolution] = Tf32Default };

        var matmul = pure.Translate(TestFiles.Graph("linear_relu"), schedules);

        Assert.True(matmul.Succeeded, string.Join("\n", matmul.Diagnostics));
        Assert.DoesNotContain("wmma", matmul.Source, StringComparison.Ordinal);
        Assert.Equal(new Translator { AllowLibraries = false }.Translate(TestFiles.Graph("linear_relu")).Source, matmul.Source);
    }

    [Theory]
    [MemberData(nameof(GoldenGraphs))]
    public void Translate_Tf32Schedule_MatchesGolden(string graph)
    {
        var result = Tf32(graph, GoldenSchedules[graph]);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Golden.AssertMatches(result.Source!, $"Golden/tf32/{graph}.cu");
    }

    [Fact]
    public void Translate_Tf32Schedule_SameBytesEveryTimeAndInEveryCulture()
    {
        var schedule = new Schedule(64, 1, 8) { Math = MathMode.Tf32TensorCores };
        var first = Tf32("conv3d", schedule).Source;
        string? german;
        using (new CultureScope("de-DE"))
        {
            german = Tf32("conv3d", schedule).Source;
        }

        Assert.Equal(first, Tf32("conv3d", schedule).Source);
        Assert.Equal(first, german);
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Translate_EveryTf32Schedule_WarpTilesCoverTheBlockTile(string graph)
    {
        foreach (var schedule in ScheduleSpace.Convolution.Enumerate().Where(s => s.Math == MathMode.Tf32TensorCores))
        {
            var result = Tf32(graph, schedule);
            var tile = (int)Math.Sqrt(schedule.BlockSize) * schedule.ItemsPerThread;
            var tileK = schedule.BlockSize >= 256 ? 32 : tile == 64 ? 8 : 16;  // at most 16 (8 at 64 threads) staged floats per operand per thread

            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            Assert.Contains($"constexpr int kTile = {tile}, kTileK = {tileK},", result.Source, StringComparison.Ordinal);
            Assert.Contains($"{tile} x {tile} outputs per block of {schedule.BlockSize / 32} warps", result.Source, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Every implicit-GEMM convolution graph under every TF32 schedule, built for sm_80 and sm_90 like a candidate: no warnings,
    /// no spills on sm_80. ptxas 11.8 for sm_90 rounds some of these kernels down to 64 or 128 registers (an occupancy step)
    /// and spills a word or two to do it (seen: 4 to 8 bytes, conv2d at 256 threads); more than <see cref="Sm90SpillBytes"/> fails.
    /// </summary>
    [NvccFact]
    public async Task Compile_EveryConvolutionGraphUnderEveryTf32Schedule_BuildsForSm80AndSm90WithoutSpills()
    {
        var installation = await NvccLocator.Default.LocateAsync() ?? throw new InvalidOperationException("Only call this from an nvcc test.");
        var schedules = ScheduleSpace.Convolution.Enumerate().Where(s => s.Math == MathMode.Tf32TensorCores).ToList();
        var sources = GemmConvolutionGraphs.SelectMany(graph => schedules.Select(schedule => (Name: $"{graph} ({schedule})", Source: Tf32(graph, schedule).Source!))).ToList();
        foreach (var architecture in new[] { "sm_80", "sm_90" })
        {
            using var pool = CompilePool.ForNvcc(new NvccCompiler(installation.CreateOptions(architecture, TestFiles.AbiDirectory), installation.VersionText));
            foreach (var (name, result) in await Task.WhenAll(sources.Select(async pair => (pair.Name, await pool.CompileAsync(pair.Source)))))
            {
                Assert.True(result.Succeeded, $"{name}, {architecture}:\n{result.Log}");
                Assert.DoesNotContain("warning", result.Log, StringComparison.OrdinalIgnoreCase);
                var allowed = architecture == "sm_90" ? Sm90SpillBytes : 0;
                Assert.All(result.Kernels, kernel => Assert.True(kernel.SpillStoreBytes <= allowed && kernel.SpillLoadBytes <= allowed, $"{name}, {architecture}: {kernel.Name} spills {kernel.SpillStoreBytes} bytes"));
            }
        }
    }

    private static TranslationResult Tf32(string graph, Schedule schedule) =>
        new Translator().Translate(TestFiles.Graph(graph), new Dictionary<KernelKind, Schedule> { [KernelKind.Convolution] = schedule });
}
