using System.Runtime.InteropServices;
using KernelForge.Evaluation.Compilation;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Tests.Compilation;

namespace KernelForge.Evaluation.Tests.Runner;

public sealed class CudnnHandleTests : IDisposable
{
    /// <summary>Stands in for cuDNN: counts destroys, and fails cudnnSetStream for stream 7 with cuDNN 9's CUDNN_STATUS_INTERNAL_ERROR.</summary>
    private const string FakeCudnn = """
        extern "C" {
        __attribute__((visibility("default"))) int fake_cudnn_destroyed = 0;
        __attribute__((visibility("default"))) int cudnnCreate(void** handle) { *handle = (void*)0xC0DE; return 0; }
        __attribute__((visibility("default"))) int cudnnSetStream(void* handle, void* stream) { return stream == (void*)7 ? 4000 : 0; }
        __attribute__((visibility("default"))) int cudnnDestroy(void* handle) { ++fake_cudnn_destroyed; return 0; }
        __attribute__((visibility("default"))) const char* cudnnGetErrorString(int status) { return status == 4000 ? "CUDNN_STATUS_INTERNAL_ERROR" : "CUDNN_STATUS_SUCCESS"; }
        }
        """;

    /// <summary>A candidate as generated kernels will be: cuDNN's functions declared weak, its own path when they are absent.</summary>
    private const string WeakCudnnCandidate = """
        #include "kforge_abi.h"
        extern "C" int cudnnCreate(void** handle) __attribute__((weak));

        KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream, kf_context* ctx) {
            return ctx->cudnn != nullptr && cudnnCreate != nullptr ? 0 : 1;
        }
        """;

    private readonly TemporaryDirectory _temp = new();
    private readonly List<string> _warnings = [];

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public void Create_LibraryLinkingNoCudnn_NullWithOneWarningNamingTheSetting()
    {
        // libc stands in for a candidate built on a host without cuDNN: no cudnnCreate is reachable through it.
        var library = NativeLibrary.Load("libc.so.6");
        try
        {
            var handle = CudnnHandle.Create(library, "kernel.so", 0, _warnings.Add);

            Assert.Null(handle);
            var warning = Assert.Single(_warnings);
            Assert.Contains("ctx->cudnn = NULL", warning, StringComparison.Ordinal);
            Assert.Contains(CudnnLocator.LibraryVariable, warning, StringComparison.Ordinal);
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    [NvccFact]
    public async Task Create_CandidateLinkedWithKnownCudnn_HandleFromThatLibraryDestroyedOnDispose()
    {
        var candidate = await BuildCandidateAsync(await BuildFakeCudnnAsync());
        var library = NativeLibrary.Load(candidate);
        try
        {
            var destroyedBefore = Destroyed(library);
            var handle = CudnnHandle.Create(library, candidate, 0, _warnings.Add);

            Assert.NotNull(handle);
            Assert.Equal(0xC0DE, handle.Handle);
            Assert.Empty(_warnings);
            handle.Dispose();
            Assert.Equal(destroyedBefore + 1, Destroyed(library));
            Assert.Equal(0, handle.Handle);
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    [NvccFact]
    public async Task Create_SetStreamFails_LoadErrorNamingTheStatusAndHandleDestroyed()
    {
        var candidate = await BuildCandidateAsync(await BuildFakeCudnnAsync());
        var library = NativeLibrary.Load(candidate);
        try
        {
            var destroyedBefore = Destroyed(library);

            var ex = Assert.Throws<RunnerRequestException>(() => CudnnHandle.Create(library, candidate, 7, _warnings.Add));

            Assert.Equal(RunnerRequestException.LoadError, ex.Kind);
            Assert.Contains("cudnnSetStream failed with cudnnStatus_t 4000 (CUDNN_STATUS_INTERNAL_ERROR)", ex.Message, StringComparison.Ordinal);
            Assert.Equal(destroyedBefore + 1, Destroyed(library));
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    [NvccFact]
    public async Task Create_CandidateBuiltWithoutKnownCudnn_LinksAndGivesNull()
    {
        var candidate = await BuildCandidateAsync(cudnnLibraryPath: null);
        var library = NativeLibrary.Load(candidate);
        try
        {
            Assert.Null(CudnnHandle.Create(library, candidate, 0, _warnings.Add));
            Assert.Single(_warnings);
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    private static int Destroyed(nint candidate) => Marshal.ReadInt32(NativeLibrary.GetExport(candidate, "fake_cudnn_destroyed"));

    /// <summary>libcudnn.so.9 (soname too) in a folder of its own, as pip's wheel lays it out.</summary>
    private async Task<string> BuildFakeCudnnAsync()
    {
        var installation = (await NvccLocator.Default.LocateAsync())!;
        var directory = Directory.CreateDirectory(_temp.Combine("nvidia", "cudnn", "lib")).FullName;
        var source = Path.Combine(directory, "fake_cudnn.cu");
        await File.WriteAllTextAsync(source, FakeCudnn);
        var library = Path.Combine(directory, "libcudnn.so.9");
        List<string> arguments = ["-shared", "-Xcompiler", "-fPIC", "-Xlinker", "-soname,libcudnn.so.9", "-o", library, source];
        if (installation.HostCompiler is { } hostCompiler)
        {
            arguments.AddRange(["-ccbin", hostCompiler]);
        }

        var run = await ToolProcess.RunAsync(installation.NvccPath, arguments, directory, TimeSpan.FromMinutes(2), TimeProvider.System, CancellationToken.None);
        Assert.True(run.ExitCode == 0, run.Output);
        return library;
    }

    private async Task<string> BuildCandidateAsync(string? cudnnLibraryPath)
    {
        var compiler = await TestNvcc.CreateCompilerAsync();
        // --as-needed, as Debian's and Ubuntu's gcc link by default: a library that only satisfies weak references is
        // dropped under it unless its link arguments say otherwise.
        compiler = new NvccCompiler(compiler.Options with { CudnnLibraryPath = cudnnLibraryPath, ExtraFlags = ["-Xlinker", "--as-needed"] }, compiler.NvccVersionText);

        var result = await compiler.CompileAsync(WeakCudnnCandidate, _temp.Combine("build"));

        Assert.True(result.Succeeded, result.Log);
        return result.LibraryPath!;
    }
}
