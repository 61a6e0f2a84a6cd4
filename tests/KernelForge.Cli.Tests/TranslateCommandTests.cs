using Spectre.Console.Testing;

namespace KernelForge.Cli.Tests;

/// <summary><c>kforge translate --graph</c>: the translator without torch, through the CLI.</summary>
[Collection(nameof(SerialConsoleGroup))]
public sealed class TranslateCommandTests
{
    [Fact]
    public async Task Invoke_GraphOfSoftmax_WritesAbiSourceAndGraph()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("kforge-translate-test-").FullName, "kernel.cu");
        var console = new TestConsole().Width(200);

        var exitCode = await KforgeRootCommand.Create(console).Parse(
            ["translate", RepositoryFiles.Find("problems/level1/softmax.py"), "--graph", RepositoryFiles.Find("tests/KernelForge.Translation.Tests/Graphs/softmax.json"), "--out", output]).InvokeAsync();

        Assert.Equal(ExitCodes.Success, exitCode);
        var source = await File.ReadAllTextAsync(output);
        Assert.Contains("KFORGE_ENTRY", source, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(output)!, "graph.json")));
        Assert.Contains("aten._softmax.default", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_GraphWithUnsupportedOp_ExitsNotTranslatableWithDiagnostic()
    {
        var directory = Directory.CreateTempSubdirectory("kforge-translate-test-").FullName;
        var graph = Path.Combine(directory, "graph.in.json");
        var text = await File.ReadAllTextAsync(RepositoryFiles.Find("tests/KernelForge.Translation.Tests/Graphs/relu.json"));
        await File.WriteAllTextAsync(graph, text.Replace("aten.relu.default", "aten.frobnicate.default", StringComparison.Ordinal));
        var console = new TestConsole().Width(200);

        var exitCode = await KforgeRootCommand.Create(console).Parse(
            ["translate", RepositoryFiles.Find("problems/level1/relu.py"), "--graph", graph, "--out", Path.Combine(directory, "kernel.cu")]).InvokeAsync();

        Assert.Equal(ExitCodes.NotTranslatable, exitCode);
        Assert.Contains("aten.frobnicate.default", console.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory, "kernel.cu")));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("allow-libraries", true)]
    [InlineData("pure-cuda", false)]
    public async Task Invoke_GraphOfLinearRelu_LibraryPolicyChoosesCublasOrOwnKernelAndSaysSo(string? policy, bool cublas)
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("kforge-translate-test-").FullName, "kernel.cu");
        var console = new TestConsole().Width(400);
        string[] arguments = ["translate", RepositoryFiles.Find("problems/level1/relu.py"), "--graph", RepositoryFiles.Find("tests/KernelForge.Translation.Tests/Graphs/linear_relu.json"), "--out", output];

        var exitCode = await KforgeRootCommand.Create(console).Parse(policy is null ? arguments : [.. arguments, "--library-policy", policy]).InvokeAsync();

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(cublas, (await File.ReadAllTextAsync(output)).Contains("cublasGemmEx(", StringComparison.Ordinal));
        Assert.Equal(cublas, console.Output.Contains("cuBLAS cublasGemmEx", StringComparison.Ordinal));
        Assert.Equal(!cublas, console.Output.Contains("pure-cuda: own kernel, no cuBLAS", StringComparison.Ordinal));
    }
}
