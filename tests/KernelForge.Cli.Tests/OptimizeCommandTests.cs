using System.CommandLine;
using Spectre.Console.Testing;

namespace KernelForge.Cli.Tests;

/// <summary>Parsing, help and the failure paths of <c>kforge optimize</c> that need no GPU.</summary>
[Collection(nameof(SerialConsoleGroup))]
public sealed class OptimizeCommandTests
{
    [Fact]
    public void Parse_ProblemOnly_NoErrors()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["optimize", "p.py"]);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Parse_MissingProblem_ReportsError()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["optimize"]);

        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Parse_EveryOption_Accepted()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(
            ["optimize", "p.py", "--budget-minutes", "2.5", "--precision", "kernel-bench", "--library-policy", "pure-cuda", "--out", "results", "--archive", "a.db", "--json", "--device", "1", "--input-sets", "4"]);

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    public void Parse_BadBudget_ReportsError(string minutes)
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["optimize", "p.py", "--budget-minutes", minutes]);

        Assert.Contains(result.Errors, error => error.Message.Contains("--budget-minutes", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TwoInputSets_ReportsAtLeastThree()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["optimize", "p.py", "--input-sets", "2"]);

        Assert.Contains(result.Errors, error => error.Message.Contains("at least 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownPrecision_ErrorListsChoices()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["optimize", "p.py", "--precision", "loose"]);

        Assert.Contains(result.Errors, error => error.Message.Contains("strict, tf32, kernel-bench", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_TeachesWhatItDoesWithAnExample()
    {
        using var output = new StringWriter();

        var exitCode = await KforgeRootCommand.Create(new TestConsole()).Parse(["optimize", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        var help = output.ToString();
        Assert.Contains("torch extension", help, StringComparison.Ordinal);
        Assert.Contains("kforge optimize problems/level1/softmax.py --budget-minutes 5", help, StringComparison.Ordinal);
        Assert.Contains("--budget-minutes", help, StringComparison.Ordinal);
        Assert.Contains("report.md", help, StringComparison.Ordinal);
        Assert.Contains("Ctrl+C", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_MissingProblemFile_ExitsTwoWithOneSentence()
    {
        var (exitCode, stderr) = await InvokeAsync("optimize", "does/not/exist.py");

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Invoke_ProblemNotPython_ExitsTwo()
    {
        var (exitCode, stderr) = await InvokeAsync("optimize", RepositoryFiles.Find("examples/relu_abi.cu"));

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("is not a .py", stderr, StringComparison.Ordinal);
    }

    [Fact]
    // Runs where dotnet test runs: CI and developer machines, which have no GPU (the GPU suite covers GPU hosts).
    public async Task Invoke_NoGpuOnThisMachine_ExitsTwoWithEnvironmentSentence()
    {
        var outDirectory = Directory.CreateTempSubdirectory("kforge-optimize-test-").FullName;

        var (exitCode, stderr) = await InvokeAsync("optimize", RepositoryFiles.Find("problems/level1/relu.py"), "--out", outDirectory, "--archive", Path.Combine(outDirectory, "kforge.db"));

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("No usable NVIDIA GPU", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outDirectory));
    }

    private static async Task<(int ExitCode, string Stderr)> InvokeAsync(params string[] args)
    {
        var previous = Console.Error;
        using var stderr = new StringWriter();
        Console.SetError(stderr);
        try
        {
            var exitCode = await KforgeRootCommand.Create(new TestConsole()).Parse(args).InvokeAsync();
            return (exitCode, stderr.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
