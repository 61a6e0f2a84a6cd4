using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

public sealed class NvccLocatorTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private readonly Dictionary<string, string> _environment = [];

    public void Dispose() => _temp.Dispose();

    private NvccLocator Locator(params string[] fallbackRoots) => new(name => _environment.GetValueOrDefault(name), fallbackRoots);

    [Fact]
    public void FindNvcc_ExplicitVariable_WinsOverEverything()
    {
        var explicitNvcc = Touch("explicit", "nvcc");
        _environment["CUDA_HOME"] = Path.GetDirectoryName(Path.GetDirectoryName(Touch("home", "bin", "nvcc")))!;
        _environment[NvccLocator.NvccVariable] = explicitNvcc;

        Assert.Equal(explicitNvcc, Locator().FindNvcc());
    }

    [Fact]
    public void FindNvcc_CudaHome_BeatsCudaPathAndPath()
    {
        var home = Touch("home", "bin", "nvcc");
        Touch("path", "bin", "nvcc");
        Touch("onpath", "nvcc");
        _environment["CUDA_HOME"] = _temp.Combine("home");
        _environment["CUDA_PATH"] = _temp.Combine("path");
        _environment["PATH"] = _temp.Combine("onpath");

        Assert.Equal(home, Locator().FindNvcc());
    }

    [Fact]
    public void FindNvcc_CudaPath_UsedWhenNoCudaHome()
    {
        var nvcc = Touch("path", "bin", "nvcc");
        _environment["CUDA_PATH"] = _temp.Combine("path");

        Assert.Equal(nvcc, Locator().FindNvcc());
    }

    [Fact]
    public void FindNvcc_OnPath_FirstFolderHoldingIt()
    {
        var second = Touch("b", "nvcc");
        _environment["PATH"] = string.Join(Path.PathSeparator, _temp.Combine("a"), _temp.Combine("b"));

        Assert.Equal(second, Locator().FindNvcc());
    }

    [Fact]
    public void FindNvcc_ExplicitPathMissing_FallsThroughToFallbackRoot()
    {
        var fallback = Touch("usr-local-cuda", "bin", "nvcc");
        _environment[NvccLocator.NvccVariable] = _temp.Combine("missing", "nvcc");

        Assert.Equal(fallback, Locator(_temp.Combine("usr-local-cuda")).FindNvcc());
    }

    [Fact]
    public void FindNvcc_NothingAnywhere_Null()
    {
        Assert.Null(Locator(_temp.Combine("nothing")).FindNvcc());
    }

    [Theory]
    [InlineData("lib64")]
    [InlineData("targets/x86_64-linux/lib")]
    [InlineData("targets/sbsa-linux/lib")]
    public void FindCudaLibraryDirectory_FolderHoldingCudart_Found(string folder)
    {
        var nvcc = Touch("cuda", "bin", "nvcc");
        Touch(["cuda", .. folder.Split('/'), "libcudart.so.13"]);

        Assert.Equal(_temp.Combine(["cuda", .. folder.Split('/')]), NvccLocator.FindCudaLibraryDirectory(nvcc));
    }

    [Fact]
    public void FindCudaLibraryDirectory_NoCudart_Null()
    {
        var nvcc = Touch("usr", "bin", "nvcc");
        Directory.CreateDirectory(_temp.Combine("usr", "lib64"));

        Assert.Null(NvccLocator.FindCudaLibraryDirectory(nvcc));
    }

    [UnixFact]
    public void FindCudaLibraryDirectory_SymlinkedNvcc_FollowsToRealToolkit()
    {
        var real = Touch("cuda-13.0", "bin", "nvcc");
        Touch("cuda-13.0", "lib64", "libcudart.so");
        Directory.CreateDirectory(_temp.Combine("links", "bin"));
        var link = _temp.Combine("links", "bin", "nvcc");
        File.CreateSymbolicLink(link, real);

        Assert.Equal(_temp.Combine("cuda-13.0", "lib64"), NvccLocator.FindCudaLibraryDirectory(link));
    }

    [Fact]
    public void FindHostCompiler_Variable_Wins()
    {
        _environment[NvccLocator.HostCompilerVariable] = "/opt/gcc-11/bin/g++";

        Assert.Equal("/opt/gcc-11/bin/g++", Locator().FindHostCompiler(new Version(12, 8)));
    }

    [Fact]
    public void FindHostCompiler_Release11WithClang14OnPath_UsesIt()
    {
        var clang = Touch("bin", NvccLocator.LegacyHostCompiler);
        _environment["PATH"] = _temp.Combine("bin");

        Assert.Equal(clang, Locator().FindHostCompiler(new Version(11, 8)));
        Assert.Null(Locator().FindHostCompiler(new Version(12, 8)));
        Assert.Null(Locator().FindHostCompiler(null));
    }

    [Fact]
    public void FindHostCompiler_Release11WithoutClang14_Null()
    {
        Assert.Null(Locator().FindHostCompiler(new Version(11, 8)));
    }

    [Theory]
    [InlineData("Cuda compilation tools, release 11.8, V11.8.89", 11, 8)]
    [InlineData("Cuda compilation tools, release 13.0, V13.0.48\nBuild cuda_13.0.r13.0/compiler.36260728_0", 13, 0)]
    public void ParseRelease_VersionText_MajorMinor(string text, int major, int minor)
    {
        Assert.Equal(new Version(major, minor), NvccLocator.ParseRelease(text));
    }

    [Fact]
    public void ParseRelease_NoRelease_Null()
    {
        Assert.Null(NvccLocator.ParseRelease("nvcc: command not found"));
    }

    [UnixFact]
    public async Task LocateAsync_FakeNvcc118WithClang_FillsEverything()
    {
        var nvcc = _temp.WriteScript("nvcc", "echo 'Cuda compilation tools, release 11.8, V11.8.89'");
        var clang = Touch("bin", NvccLocator.LegacyHostCompiler);
        _environment[NvccLocator.NvccVariable] = nvcc;
        _environment["PATH"] = _temp.Combine("bin");

        var installation = await Locator().LocateAsync();

        Assert.NotNull(installation);
        Assert.Equal(nvcc, installation.NvccPath);
        Assert.Equal(new Version(11, 8), installation.Release);
        Assert.Equal(clang, installation.HostCompiler);
        Assert.Equal("sm_90", installation.ArchitectureFor(9, 0));
        var options = installation.CreateOptions("sm_80", TestPaths.AbiDirectory);
        Assert.Equal(clang, options.HostCompiler);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public async Task LocateAsync_NoNvcc_Null()
    {
        Assert.Null(await Locator(_temp.Combine("nothing")).LocateAsync());
    }

    private string Touch(params string[] parts)
    {
        var path = _temp.Combine(parts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }
}
