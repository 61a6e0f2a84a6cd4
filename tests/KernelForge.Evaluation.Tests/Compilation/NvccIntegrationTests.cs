using KernelForge.Core;
using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

/// <summary>The real nvcc of this machine, through the pool and the cache; skipped where nvcc is not installed.</summary>
public sealed class NvccIntegrationTests : IDisposable
{
    private readonly TemporaryDirectory _cache = new();

    public void Dispose() => _cache.Dispose();

    [NvccFact]
    public async Task CompileAsync_AbiKernel_LibraryWithEntryPointResourcesAndThenCacheHit()
    {
        using var pool = CompilePool.ForNvcc(await TestNvcc.CreateCompilerAsync(_cache.Path));

        var first = await pool.CompileAsync(TestNvcc.AddOneKernel);
        var second = await pool.CompileAsync(TestNvcc.AddOneKernel);

        Assert.True(first.Succeeded, first.Log);
        Assert.False(first.CacheHit);
        Assert.True(File.Exists(first.LibraryPath));
        Assert.StartsWith(_cache.Path, first.LibraryPath, StringComparison.Ordinal);
        Assert.Contains(NvccCompiler.EntryPointName, await ElfSymbols.ReadExportedNamesAsync(first.LibraryPath!));
        var kernel = Assert.Single(first.Kernels);
        Assert.Contains("add_one", kernel.Name, StringComparison.Ordinal);
        Assert.InRange(kernel.Registers, 1, 255);
        Assert.Equal(0, kernel.SpillStoreBytes);
        Assert.Contains("ptxas info", first.Log, StringComparison.Ordinal);
        Assert.True(first.Seconds > 0);

        Assert.True(second.CacheHit);
        Assert.Equal(first.LibraryPath, second.LibraryPath);
        Assert.Equal(first.Kernels, second.Kernels);
        Assert.True(second.Seconds < first.Seconds);
    }

    [NvccFact]
    public async Task CompileAsync_ParallelSteps_SameKernelsAsPlainNvccAndEntryPoint()
    {
        var plain = await TestNvcc.CreateCompilerAsync();
        var parallel = new NvccCompiler(plain.Options with { ParallelSteps = true }, plain.NvccVersionText);

        var sequential = await plain.CompileAsync(TestNvcc.AddOneKernel, Path.Combine(_cache.Path, "plain"));
        var sideBySide = await parallel.CompileAsync(TestNvcc.AddOneKernel, Path.Combine(_cache.Path, "parallel"));

        Assert.True(sideBySide.Succeeded, sideBySide.Log);
        Assert.Contains(NvccCompiler.EntryPointName, await ElfSymbols.ReadExportedNamesAsync(sideBySide.LibraryPath!));
        Assert.Equal(sequential.Kernels.Select(k => (k.Registers, k.SharedMemoryBytes)), sideBySide.Kernels.Select(k => (k.Registers, k.SharedMemoryBytes)));
        Assert.Contains("ptxas info", sideBySide.Log, StringComparison.Ordinal);
    }

    [NvccFact]
    public async Task CompileAsync_ParallelStepsSyntaxError_PlainNvccsMessage()
    {
        var plain = await TestNvcc.CreateCompilerAsync();
        var parallel = new NvccCompiler(plain.Options with { ParallelSteps = true }, plain.NvccVersionText);

        var result = await parallel.CompileAsync(
            TestNvcc.AddOneKernel.Replace("y[i] = x[i] + 1.0f;", "y[i] = undefined_name + 1.0f;", StringComparison.Ordinal), _cache.Path);

        Assert.Equal(FailureKind.CompileError, result.Failure);
        Assert.Contains("kernel.cu(", result.Log, StringComparison.Ordinal);
        Assert.Contains("nvcc exited with code", result.Log, StringComparison.Ordinal);
    }

    [NvccFact]
    public async Task CompileAsync_SyntaxError_CompileErrorWithNvccMessage()
    {
        using var pool = CompilePool.ForNvcc(await TestNvcc.CreateCompilerAsync(_cache.Path));

        var result = await pool.CompileAsync(TestNvcc.AddOneKernel.Replace("y[i] = x[i] + 1.0f;", "y[i] = undefined_name + 1.0f;", StringComparison.Ordinal));

        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.CompileError, result.Failure);
        Assert.Contains("kernel.cu(", result.Log, StringComparison.Ordinal);
        Assert.Contains("undefined_name", result.Log, StringComparison.Ordinal);
        Assert.Contains("error", result.Log, StringComparison.Ordinal);
    }

    [NvccFact]
    public async Task CompileAsync_NoKforgeEntry_CompileErrorMentioningIt()
    {
        using var pool = CompilePool.ForNvcc(await TestNvcc.CreateCompilerAsync(_cache.Path));
        const string source = """
            #include "kforge_abi.h"
            __global__ void k(float* x) { x[threadIdx.x] = 0.0f; }
            extern "C" int launch(float* x, cudaStream_t s) { k<<<1, 32, 0, s>>>(x); return 0; }
            """;

        var result = await pool.CompileAsync(source);

        Assert.Equal(FailureKind.CompileError, result.Failure);
        Assert.Contains("no kforge_entry exported", result.Log, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_cache.Path, "*", SearchOption.AllDirectories));
    }
}
