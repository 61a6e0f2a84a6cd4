using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

public sealed class NvccOptionsTests
{
    private static NvccOptions Valid => new("/usr/bin/nvcc", "sm_80", TestPaths.AbiDirectory);

    [Theory]
    [InlineData("sm_90a", "-gencode=arch=compute_90a,code=sm_90a")]
    [InlineData("sm_80", "-gencode=arch=compute_80,code=sm_80")]
    [InlineData("sm_100f", "-gencode=arch=compute_100f,code=sm_100f")]
    public void GencodeFlag_Architecture_LongForm(string architecture, string expected)
    {
        Assert.Equal(expected, (Valid with { Architecture = architecture }).GencodeFlag);
    }

    [Theory]
    [InlineData(9, 0, null, "sm_90a")]
    [InlineData(9, 0, "13.0", "sm_90a")]
    [InlineData(9, 0, "11.8", "sm_90")]
    [InlineData(8, 0, "12.4", "sm_80")]
    [InlineData(8, 9, "12.4", "sm_89")]
    [InlineData(10, 0, "12.8", "sm_100a")]
    public void ArchitectureFor_ComputeCapability_MatchesRelease(int major, int minor, string? release, string expected)
    {
        Assert.Equal(expected, NvccOptions.ArchitectureFor(major, minor, release is null ? null : Version.Parse(release)));
    }

    [Fact]
    public void Validate_DefaultsAndValidFields_NoErrors()
    {
        Assert.Empty(Valid.Validate());
        Assert.Equal(TimeSpan.FromSeconds(120), Valid.Timeout);
    }

    [Theory]
    [InlineData("-G")]
    [InlineData("--device-debug")]
    public void Validate_DeviceDebugFlag_ExplainsWhyAndHowToFix(string flag)
    {
        var error = Assert.Single((Valid with { ExtraFlags = ["-std=c++17", flag] }).Validate());

        Assert.Contains(flag, error, StringComparison.Ordinal);
        Assert.Contains("device debug", error, StringComparison.Ordinal);
        Assert.Contains("Remove it", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-arch=sm_90a")]
    [InlineData("-gencode=arch=compute_80,code=sm_80")]
    [InlineData("--gpu-architecture=sm_80")]
    public void Validate_ArchitectureInExtraFlags_Refused(string flag)
    {
        var error = Assert.Single((Valid with { ExtraFlags = [flag] }).Validate());

        Assert.Contains("Architecture", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sm90")]
    [InlineData("compute_90")]
    [InlineData("sm_90x")]
    [InlineData("")]
    public void Validate_BadArchitecture_Refused(string architecture)
    {
        var options = Valid with { Architecture = architecture };

        Assert.Contains(options.Validate(), e => e.Contains("sm_XX", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => options.GencodeFlag);
    }

    [Fact]
    public void Validate_IncludeDirectoryWithoutHeader_Refused()
    {
        using var empty = new TemporaryDirectory();

        var error = Assert.Single((Valid with { IncludeDirectory = empty.Path }).Validate());

        Assert.Contains("kforge_abi.h", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonPositiveTimeout_Refused()
    {
        Assert.Single((Valid with { Timeout = TimeSpan.Zero }).Validate());
    }
}
