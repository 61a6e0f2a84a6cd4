using KernelForge.Evaluation.Compilation;

namespace KernelForge.Cli.Tests;

public sealed class KforgeHostTests
{
    private static readonly KforgeHost Host = new(
        new KforgeResources("/repo/worker", "/repo/abi"),
        new NvccInstallation("/usr/local/cuda/bin/nvcc", "release 12.8", new Version(12, 8), HostCompiler: null, "/usr/local/cuda/lib64"),
        "/usr/bin/python3",
        "/cache");

    [Fact]
    public void RunnerStartInfo_CudnnKnown_ItsFolderFirstOnTheLoaderPath()
    {
        var host = Host with { CudnnLibraryPath = "/py/site-packages/nvidia/cudnn/lib/libcudnn.so.9" };

        var startInfo = host.RunnerStartInfo(device: 1);

        var searchPath = startInfo.Environment[KforgeHost.LibraryPathVariable]!;
        Assert.StartsWith("/py/site-packages/nvidia/cudnn/lib", searchPath, StringComparison.Ordinal);
        Assert.Equal(["__runner", "--device", "1"], startInfo.ArgumentList);
    }

    [Fact]
    public void RunnerStartInfo_NoCudnn_LoaderPathAsInherited()
    {
        var startInfo = Host.RunnerStartInfo(device: 0);

        Assert.Equal(
            Environment.GetEnvironmentVariable(KforgeHost.LibraryPathVariable),
            startInfo.Environment.TryGetValue(KforgeHost.LibraryPathVariable, out var value) ? value : null);
    }

    [Theory]
    [InlineData(null, "/cudnn")]
    [InlineData("", "/cudnn")]
    [InlineData("/a:/b", "/cudnn:/a:/b")]
    [InlineData("/a:/cudnn/:/b", "/cudnn:/a:/b")]
    public void WithDirectoryFirst_PrependsOnceKeepingTheRestInOrder(string? searchPath, string expected)
    {
        Assert.Equal(expected, KforgeHost.WithDirectoryFirst("/cudnn", searchPath));
    }
}
