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
}
