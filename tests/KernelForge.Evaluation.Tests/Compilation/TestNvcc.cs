using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

/// <summary>The nvcc of this machine for <see cref="NvccFactAttribute"/> tests, built for sm_80, which every nvcc from 11.0 on knows.</summary>
internal static class TestNvcc
{
    /// <summary>sm_80 rather than sm_90a: CI's nvcc 11.8 has no arch-specific targets.</summary>
    public const string Architecture = "sm_80";

    /// <summary>A compiler for this machine's nvcc (host compiler and library folder as the locator finds them).</summary>
    public static async Task<NvccCompiler> CreateCompilerAsync(string? cacheDirectory = null)
    {
        var installation = await NvccLocator.Default.LocateAsync()
            ?? throw new InvalidOperationException("Only call this from an [NvccFact].");
        var options = installation.CreateOptions(Architecture, TestPaths.AbiDirectory) with { CacheDirectory = cacheDirectory };
        return new NvccCompiler(options, installation.VersionText);
    }

    /// <summary>A minimal ABI candidate: adds one to every element of its one input, into its one output.</summary>
    public const string AddOneKernel = """
        #include "kforge_abi.h"

        __global__ void add_one(const float* x, float* y, long long n) {
            long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = x[i] + 1.0f;
        }

        KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs,
                     cudaStream_t stream, kf_context* ctx) {
            long long n = kf_numel(&outputs[0]);
            add_one<<<(unsigned)((n + 255) / 256), 256, 0, stream>>>((const float*)inputs[0].data, (float*)outputs[0].data, n);
            return (int)cudaGetLastError();
        }
        """;
}
