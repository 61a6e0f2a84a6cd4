using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Runner;

public sealed class CudaRuntimeTests
{
    [Fact]
    public void IsAvailable_NeverThrows_AndGivesAReasonWhenFalse()
    {
        var available = CudaRuntime.IsAvailable(out var reason);

        if (!available)
        {
            Assert.True(
                reason.StartsWith("no CUDA runtime library found", StringComparison.Ordinal) || reason.StartsWith("no CUDA device", StringComparison.Ordinal),
                reason);
        }
        else
        {
            Assert.Empty(reason);
        }
    }

    [Fact]
    public void RuntimeCandidates_Override_IsTheOnlyCandidate()
    {
        Assert.Equal(["/opt/x/libcudart.so.13"], CudaLibraryLoader.RuntimeCandidates("/opt/x/libcudart.so.13", "/usr/local/cuda-13.0"));
    }

    [Fact]
    public void RuntimeCandidates_CudaHomeFirstThenDefaultDirectoryThenLoaderSearch_NewestSonameFirst()
    {
        var candidates = CudaLibraryLoader.RuntimeCandidates(null, "/opt/cuda");

        Assert.Equal(
            [
                "/opt/cuda/lib64/libcudart.so.13", "/opt/cuda/lib64/libcudart.so.12", "/opt/cuda/lib64/libcudart.so.11.0", "/opt/cuda/lib64/libcudart.so",
                "/usr/local/cuda/lib64/libcudart.so.13", "/usr/local/cuda/lib64/libcudart.so.12", "/usr/local/cuda/lib64/libcudart.so.11.0", "/usr/local/cuda/lib64/libcudart.so",
                "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so",
            ],
            candidates);
    }

    [Fact]
    public void RuntimeCandidates_NoCudaHome_StartsWithUsrLocalCuda()
    {
        Assert.Equal("/usr/local/cuda/lib64/libcudart.so.13", CudaLibraryLoader.RuntimeCandidates(null, null)[0]);
    }

    [Fact]
    public void LaunchCounter_TryStart_NeverThrows_AndGivesAReasonWhenItCannotCount()
    {
        using var counter = LaunchCounter.TryStart(out var reason);

        if (counter is null)
        {
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }
        else
        {
            Assert.Equal(0, counter.Launches);
            Assert.Empty(counter.Kernels);
        }
    }

    [Fact]
    public void CuptiCandidates_ExtrasDirectoryBeforeLib64_CudaHomeBeforeDefault_ThenLoaderSearch()
    {
        var candidates = CudaLibraryLoader.CuptiCandidates(null, "/opt/cuda");

        Assert.Equal("/opt/cuda/extras/CUPTI/lib64/libcupti.so.13", candidates[0]);
        Assert.True(candidates.ToList().IndexOf("/opt/cuda/lib64/libcupti.so") < candidates.ToList().IndexOf("/usr/local/cuda/extras/CUPTI/lib64/libcupti.so.13"));
        Assert.Contains("/usr/local/cuda/targets/x86_64-linux/lib/libcupti.so.12", candidates);
        Assert.Equal("libcupti.so", candidates[^1]);
        Assert.Equal(["/x/libcupti.so"], CudaLibraryLoader.CuptiCandidates("/x/libcupti.so", "/opt/cuda"));
    }

    [Theory]
    [InlineData(13000, "13.0")]
    [InlineData(12080, "12.8")]
    [InlineData(11040, "11.4")]
    public void FormatCudaVersion_DecodesMajorAndMinor(int version, string expected)
    {
        Assert.Equal(expected, CudaRuntime.FormatCudaVersion(version));
    }

    [Theory]
    [InlineData("NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.159.04  Thu Oct  2 20:14:15 UTC 2025", "580.159.04")]
    [InlineData("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.65.06  Release Build", "580.65.06")]
    [InlineData("garbage", null)]
    public void ParseKernelModuleVersion_FindsTheVersion(string line, string? expected)
    {
        Assert.Equal(expected, CudaRuntime.ParseKernelModuleVersion(line));
    }
}
