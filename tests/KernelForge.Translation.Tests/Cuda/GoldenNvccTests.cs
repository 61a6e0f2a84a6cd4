using KernelForge.Core;
using KernelForge.Evaluation.Compilation;
using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests.Cuda;

/// <summary>Builds generated kernels with this machine's nvcc exactly as the compile pool builds candidates (sm_80: CI's nvcc 11.8 knows it).</summary>
public sealed class GoldenNvccTests
{
    private const string Architecture = "sm_80";

    /// <summary>Golden folders of variants beside the default output: the pure-cuda policy and TF32 convolutions.</summary>
    private static readonly string[] GoldenFolders = ["pure_cuda", "tf32"];

    /// <summary>
    /// Every golden kernel: <c>Golden/&lt;graph&gt;.cu</c> (allow-libraries, cuBLAS linked where called), <c>Golden/pure_cuda/&lt;graph&gt;.cu</c>
    /// and <c>Golden/tf32/&lt;graph&gt;.cu</c> (convolutions on TF32 tensor cores).
    /// </summary>
    public static TheoryData<string> Graphs() =>
    [
        .. TestFiles.GraphNames,
        .. GoldenFolders.SelectMany(folder => Directory.EnumerateFiles(TestFiles.Path($"Golden/{folder}"), "*.cu")
            .Select(path => $"{folder}/{Path.GetFileNameWithoutExtension(path)}").Order(StringComparer.Ordinal)),
    ];

    [NvccTheory]
    [MemberData(nameof(Graphs))]
    public async Task Compile_GoldenKernel_LibraryExportsEntryNoSpillsNoWarnings(string graph)
    {
        var compiler = await CreateCompilerAsync();
        var output = Directory.CreateTempSubdirectory("kforge-translate-test-");
        try
        {
            // The compile pool's own command line: a kernel that calls cuBLAS is linked with -lcublas (cublas_v2.h from the toolkit).
            var result = await compiler.CompileAsync(File.ReadAllText(TestFiles.Path($"Golden/{graph}.cu")), output.FullName);

            AssertBuilt(result, graph);
            Assert.Contains(NvccCompiler.EntryPointName, await ElfSymbols.ReadExportedNamesAsync(result.LibraryPath!));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [NvccFact]
    public async Task Compile_EveryGraphWithTheEdgesOfEverySpace_Builds()
    {
        using var pool = CompilePool.ForNvcc(await CreateCompilerAsync());
        var variants = new[]
        {
            new Dictionary<KernelKind, Schedule> { [KernelKind.Pointwise] = new(1024, 4, 8), [KernelKind.RowNormalization] = new(128, 4, 16), [KernelKind.RowReduction] = new(1024, 4, 8), [KernelKind.ColumnReduction] = new(1024, 1, 1), [KernelKind.Matmul] = new(256, 1, 8), [KernelKind.Pooling] = new(1024, 1, 4) },
            new Dictionary<KernelKind, Schedule> { [KernelKind.Pointwise] = new(128, 1, 1), [KernelKind.RowNormalization] = new(1024, 1, 1), [KernelKind.RowReduction] = new(128, 1, 1), [KernelKind.ColumnReduction] = new(64, 1, 1), [KernelKind.Matmul] = new(64, 1, 4), [KernelKind.Pooling] = new(128, 1, 1) },
        };
        var builds = TestFiles.GraphNames
            .SelectMany(graph => variants.Select(schedules => (graph, new Translator().Translate(TestFiles.Graph(graph), schedules))))
            .Select(async pair => (pair.graph, Result: await pool.CompileAsync(pair.Item2.Source!)));

        // Spills are allowed here: some corners (e.g. RMS norm, 128 threads x 8 float4 of a row in registers) spill a few
        // bytes around IEEE division's slow-path call. The tuner sees them in the ptxas report; the defaults have none.
        foreach (var (graph, result) in await Task.WhenAll(builds))
        {
            AssertBuilt(result, graph, allowSpills: true);
        }
    }

    private static void AssertBuilt(CompileResult result, string graph, bool allowSpills = false)
    {
        Assert.True(result.Succeeded, $"{graph}:\n{result.Log}");
        Assert.NotEmpty(result.Kernels);
        Assert.All(result.Kernels, kernel => Assert.True(allowSpills || (kernel.SpillStoreBytes == 0 && kernel.SpillLoadBytes == 0), $"{graph}: {kernel.Name} spills"));
        Assert.DoesNotContain("warning", result.Log, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<NvccCompiler> CreateCompilerAsync()
    {
        var installation = await NvccLocator.Default.LocateAsync() ?? throw new InvalidOperationException("Only call this from an nvcc test.");
        return new NvccCompiler(installation.CreateOptions(Architecture, TestFiles.AbiDirectory), installation.VersionText);
    }
}
