using KernelForge.Core;
using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

/// <summary>NvccCompiler against fake nvcc scripts: everything but the real compiler.</summary>
public sealed class NvccCompilerTests : IDisposable
{
    private const string Version = "Cuda compilation tools, release 12.8, V12.8.93";

    private readonly TemporaryDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static NvccOptions Options(string nvccPath = "/opt/cuda/bin/nvcc") => new(nvccPath, "sm_90a", TestPaths.AbiDirectory);

    [Fact]
    public void Constructor_DeviceDebugFlag_RefusedWithFix()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NvccCompiler(Options() with { ExtraFlags = ["-G"] }, Version));

        Assert.Contains("'-G' (device debug)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Remove it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildArguments_AllSettings_InDocumentedOrder()
    {
        var compiler = new NvccCompiler(
            Options() with { HostCompiler = "clang-14", CudaLibraryDirectory = "/usr/local/cuda/lib64", ExtraFlags = ["-std=c++17"] },
            Version);

        var arguments = compiler.BuildArguments("kernel.cu", "/out/kernel.so", "/abi");

        Assert.Equal(
            [
                "-O3", "-lineinfo", "-gencode=arch=compute_90a,code=sm_90a", "-Xcompiler", "-fPIC", "-shared", "-cudart", "shared",
                "-Xptxas", "-v", "-I", "/abi", "-ccbin", "clang-14", "-Xlinker", "-rpath,/usr/local/cuda/lib64", "-std=c++17",
                "-o", "/out/kernel.so", "kernel.cu",
            ],
            arguments);
    }

    [Fact]
    public void BuildArguments_NoHostCompilerNoLibraryDirectory_LeavesThemOut()
    {
        var arguments = new NvccCompiler(Options(), Version).BuildArguments("kernel.cu", "out.so", "/abi");

        Assert.DoesNotContain("-ccbin", arguments);
        Assert.DoesNotContain("-Xlinker", arguments);
    }

    [Fact]
    public void BuildArguments_LinkLibraries_AfterTheSource()
    {
        var arguments = new NvccCompiler(Options(), Version).BuildArguments("kernel.cu", "out.so", "/abi", ["cublas"]);

        Assert.Equal(["-o", "out.so", "kernel.cu", "-lcublas"], arguments.TakeLast(4));
    }

    [Fact]
    public void BuildArguments_CudnnWithKnownLibrary_LinksTheFileWithAnRpathAfterTheSource()
    {
        var options = Options() with { CudnnLibraryPath = "/py/site-packages/nvidia/cudnn/lib/libcudnn.so.9" };

        var arguments = new NvccCompiler(options, Version).BuildArguments("kernel.cu", "out.so", "/abi", ["cublas", "cudnn"]);

        Assert.Equal(
            [
                "-o", "out.so", "kernel.cu", "-lcublas",
                "-Xlinker", "--push-state", "-Xlinker", "--no-as-needed", "-Xlinker", "/py/site-packages/nvidia/cudnn/lib/libcudnn.so.9",
                "-Xlinker", "--pop-state", "-Xlinker", "-rpath,/py/site-packages/nvidia/cudnn/lib",
            ],
            arguments.TakeLast(14));
        Assert.DoesNotContain("-lcudnn", arguments);
    }

    [Fact]
    public void BuildArguments_CudnnWithoutKnownLibrary_LinksNoCudnnButTheOthers()
    {
        var arguments = new NvccCompiler(Options(), Version).BuildArguments("kernel.cu", "out.so", "/abi", ["cudnn", "cublas"]);

        Assert.Equal(["-o", "out.so", "kernel.cu", "-lcublas"], arguments.TakeLast(4));
        Assert.DoesNotContain(arguments, argument => argument.Contains("cudnn", StringComparison.Ordinal));
    }

    [Fact]
    public void ComputeCacheKey_CudnnLibraryChanges_KeyOfACudnnSourceChangesOnly()
    {
        const string CudnnSource = "#include \"kforge_abi.h\"\nextern \"C\" int cudnnCreate(void**) __attribute__((weak));\n";
        var without = new NvccCompiler(Options(), Version);
        var with = new NvccCompiler(Options() with { CudnnLibraryPath = "/usr/lib/x86_64-linux-gnu/libcudnn.so.9" }, Version);
        var moved = new NvccCompiler(Options() with { CudnnLibraryPath = "/opt/cudnn/lib/libcudnn.so.9" }, Version);

        Assert.NotEqual(without.ComputeCacheKey(CudnnSource), with.ComputeCacheKey(CudnnSource));
        Assert.NotEqual(with.ComputeCacheKey(CudnnSource), moved.ComputeCacheKey(CudnnSource));
        Assert.Equal(without.ComputeCacheKey("src"), with.ComputeCacheKey("src"));
    }

    [Theory]
    [InlineData("#include <cublas_v2.h>\nint f(cublasHandle_t h) { return (int)cublasSetMathMode(h, CUBLAS_DEFAULT_MATH); }\n", "cublas")]
    [InlineData("#include <cublasLt.h>\nvoid f(cublasLtHandle_t h) { cublasLtDestroy(h); }\n", "cublasLt")]
    [InlineData("#include <cufft.h>\nvoid f(cufftHandle p) { cufftDestroy(p); }\n", "cufft")]
    [InlineData("extern \"C\" int cudnnCreate(void**) __attribute__((weak));\nint f(void** h) { return cudnnCreate(h); }\n", "cudnn")]
    public void LinkLibrariesOf_SourceCallingAVendorLibrary_LinksIt(string source, string library)
    {
        Assert.Equal([library], NvccCompiler.LinkLibrariesOf(source));
    }

    [Theory]
    [InlineData("__global__ void k(float* y) { y[0] = 1.0f; }\n")]
    [InlineData("#include <curand_kernel.h>\n__global__ void k(curandState* s) { curand_init(0, 0, 0, s); }\n")]
    [InlineData("#include <cub/cub.cuh>\n__global__ void k() {}\n")]
    public void LinkLibrariesOf_OwnOrHeaderOnlyCode_LinksNothing(string source)
    {
        Assert.Empty(NvccCompiler.LinkLibrariesOf(source));
    }

    [UnixFact]
    public async Task CompileAsync_SourceCallingCublas_NvccLinksLibcublas()
    {
        // Without -lcublas the shared library still links, with cublas* undefined, and then fails to load in the runner.
        var nvcc = _temp.WriteScript("nvcc", """
            echo "arguments: $*" >&2
            exit 5
            """);
        var compiler = new NvccCompiler(Options(nvcc), Version);

        var cublas = await compiler.CompileAsync("#include <cublas_v2.h>\nint f(cublasHandle_t h) { return (int)cublasSetMathMode(h, CUBLAS_DEFAULT_MATH); }\n", _temp.Combine("a"));
        var own = await compiler.CompileAsync("__global__ void k() {}\n", _temp.Combine("b"));

        Assert.Contains(" kernel.cu -lcublas", cublas.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("-lcublas", own.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeCacheKey_SameSourceAndSettings_SameKey()
    {
        var a = new NvccCompiler(Options(), Version);
        var b = new NvccCompiler(Options(), Version);

        Assert.Equal(a.ComputeCacheKey("src"), b.ComputeCacheKey("src"));
    }

    [Fact]
    public void ComputeCacheKey_IncludeDirectoryMovedWithSameHeader_SameKey()
    {
        var moved = CopyAbi("moved");

        Assert.Equal(
            new NvccCompiler(Options(), Version).ComputeCacheKey("src"),
            new NvccCompiler(Options() with { IncludeDirectory = moved }, Version).ComputeCacheKey("src"));
    }

    [Fact]
    public void ComputeCacheKey_AnyInputChanges_KeyChanges()
    {
        var baseline = new NvccCompiler(Options(), Version).ComputeCacheKey("src");
        var editedHeader = CopyAbi("edited");
        File.AppendAllText(Path.Combine(editedHeader, "kforge_abi.h"), "\n// edited\n");

        Assert.NotEqual(baseline, new NvccCompiler(Options(), Version).ComputeCacheKey("src2"));
        Assert.NotEqual(baseline, new NvccCompiler(Options() with { ExtraFlags = ["--use_fast_math"] }, Version).ComputeCacheKey("src"));
        Assert.NotEqual(baseline, new NvccCompiler(Options() with { Architecture = "sm_80" }, Version).ComputeCacheKey("src"));
        Assert.NotEqual(baseline, new NvccCompiler(Options() with { HostCompiler = "clang-14" }, Version).ComputeCacheKey("src"));
        Assert.NotEqual(baseline, new NvccCompiler(Options(), Version + " ").ComputeCacheKey("src"));
        Assert.NotEqual(baseline, new NvccCompiler(Options() with { IncludeDirectory = editedHeader }, Version).ComputeCacheKey("src"));
    }

    [Fact]
    public void ComputeCacheKey_TimeoutOrCacheDirectoryChange_SameKey()
    {
        var baseline = new NvccCompiler(Options(), Version).ComputeCacheKey("src");

        Assert.Equal(baseline, new NvccCompiler(Options() with { Timeout = TimeSpan.FromSeconds(5), CacheDirectory = "/elsewhere" }, Version).ComputeCacheKey("src"));
    }

    [UnixFact]
    public async Task CompileAsync_NvccFails_CompileErrorWithItsMessages()
    {
        var nvcc = _temp.WriteScript("nvcc", """
            echo 'kernel.cu(3): error: identifier "x" is undefined' >&2
            exit 2
            """);
        var compiler = new NvccCompiler(Options(nvcc), Version);

        var result = await compiler.CompileAsync("bad", _temp.Combine("out"));

        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.CompileError, result.Failure);
        Assert.Contains("kernel.cu(3): error: identifier \"x\" is undefined", result.Log, StringComparison.Ordinal);
        Assert.Contains("exited with code 2", result.Log, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task CompileAsync_PastDeadline_KillsProcessTreeAndReportsTimeout()
    {
        var pidFile = _temp.Combine("child.pid");
        var nvcc = _temp.WriteScript("nvcc", $"""
            echo started
            sleep 60 &
            echo $! > '{pidFile}'
            wait
            """);
        var compiler = new NvccCompiler(Options(nvcc) with { Timeout = TimeSpan.FromMilliseconds(500) }, Version);

        var result = await compiler.CompileAsync("slow", _temp.Combine("out"));

        Assert.Equal(FailureKind.CompileTimeout, result.Failure);
        Assert.Contains("started", result.Log, StringComparison.Ordinal);
        Assert.Contains("deadline", result.Log, StringComparison.Ordinal);
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await ExitsAsync(child), "the grandchild (sleep) should have been killed with the tree");
    }

    [UnixFact]
    public async Task CompileAsync_CallerCancels_Throws()
    {
        var nvcc = _temp.WriteScript("nvcc", "sleep 60");
        var compiler = new NvccCompiler(Options(nvcc), Version);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => compiler.CompileAsync("slow", _temp.Combine("out"), cancel.Token));
    }

    [UnixFact]
    public async Task CompileAsync_LibraryWithoutEntryPoint_CompileErrorNamingKforgeEntry()
    {
        var nvcc = FakeNvccWriting(TestPaths.RuntimeNativeLibrary);
        var compiler = new NvccCompiler(Options(nvcc), Version);

        var result = await compiler.CompileAsync("no entry", _temp.Combine("out"));

        Assert.Equal(FailureKind.CompileError, result.Failure);
        Assert.Contains("no kforge_entry exported; define it with KFORGE_ENTRY(...)", result.Log, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Combine("out", CompileCache.LibraryFileName)));
    }

    [UnixFact]
    public async Task CompileAsync_OutputNotElf_CompileError()
    {
        var notElf = _temp.Combine("not-elf.so");
        File.WriteAllText(notElf, "plain text");
        var compiler = new NvccCompiler(Options(FakeNvccWriting(notElf)), Version);

        var result = await compiler.CompileAsync("src", _temp.Combine("out"));

        Assert.Equal(FailureKind.CompileError, result.Failure);
        Assert.Contains("not an ELF file", result.Log, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task CompileAsync_RunsInTempFolderWithSourceAndHeaderSnapshot()
    {
        // The fake nvcc checks what a real one would read: kernel.cu in its working folder and the header via -I.
        var nvcc = _temp.WriteScript("nvcc", """
            include=""
            while [ $# -gt 0 ]; do
              if [ "$1" = "-I" ]; then include="$2"; fi
              shift
            done
            test -f kernel.cu || { echo "no kernel.cu in $(pwd)" >&2; exit 3; }
            test -f "$include/kforge_abi.h" || { echo "no header in $include" >&2; exit 4; }
            echo "source: $(cat kernel.cu)" >&2
            exit 5
            """);
        var compiler = new NvccCompiler(Options(nvcc), Version);

        var result = await compiler.CompileAsync("__global__ void k() {}", _temp.Combine("out"));

        Assert.Contains("source: __global__ void k() {}", result.Log, StringComparison.Ordinal);
        Assert.Contains("exited with code 5", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompileAsync_NvccMissing_InfrastructureErrorSaysWhatToSet()
    {
        var compiler = new NvccCompiler(Options(_temp.Combine("no-such-nvcc")), Version);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => compiler.CompileAsync("src", _temp.Combine("out")));

        Assert.Contains(NvccLocator.NvccVariable, ex.Message, StringComparison.Ordinal);
    }

    private string FakeNvccWriting(string library) =>
        _temp.WriteScript("nvcc", $"""
            while [ $# -gt 0 ]; do
              if [ "$1" = "-o" ]; then cp '{library}' "$2"; fi
              shift
            done
            echo "ptxas info    : Used 8 registers" >&2
            """);

    private string CopyAbi(string name)
    {
        var directory = _temp.Combine(name);
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(TestPaths.AbiDirectory, "kforge_abi.h"), Path.Combine(directory, "kforge_abi.h"));
        return directory;
    }

    private static async Task<bool> ExitsAsync(int processId)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (!IsAlive(processId))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    // A killed orphan may linger as a zombie where PID 1 does not reap; a zombie counts as dead.
    private static bool IsAlive(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
