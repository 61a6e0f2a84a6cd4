using Spectre.Console.Testing;

namespace KernelForge.Cli.Tests;

/// <summary>Parsing and the failure paths of <c>kforge verify</c> that need no GPU.</summary>
[Collection(nameof(SerialConsoleGroup))]
public sealed class VerifyCommandTests
{
    [Fact]
    public void Parse_MissingKernel_ReportsError()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["verify", "--problem", "p.py"]);

        Assert.Contains(result.Errors, error => error.Message.Contains("--kernel", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TwoInputSets_ReportsAtLeastThree()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["verify", "-p", "p.py", "-k", "k.cu", "--input-sets", "2"]);

        Assert.Contains(result.Errors, error => error.Message.Contains("at least 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SeveralKernels_AllKept()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["verify", "-p", "p.py", "-k", "a.cu", "-k", "b.cu", "--precision", "KernelBench"]);

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("pure-cuda", "kernel-bench")]
    [InlineData("PureCuda", "kernelbench")]
    public void Parse_PoliciesInKebabOrEnumCase_Accepted(string library, string precision)
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["verify", "-p", "p.py", "-k", "a.cu", "--library-policy", library, "--precision", precision]);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Parse_UnknownLibraryPolicy_ErrorListsKebabChoices()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["verify", "-p", "p.py", "-k", "a.cu", "--library-policy", "cublas-only"]);

        Assert.Contains(result.Errors, error => error.Message.Contains("allow-libraries, pure-cuda", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_MissingProblemFile_ExitsTwoWithOneSentence()
    {
        var (exitCode, stderr) = await InvokeAsync("verify", "--problem", "does/not/exist.py", "--kernel", "examples/relu_abi.cu");

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Invoke_PythonFileWithoutModelNew_ExitsTwoNamingTheFormats()
    {
        var problem = RepositoryFiles.Find("problems/level1/relu.py");
        var kernel = Path.Combine(Path.GetTempPath(), "kforge-test-not-a-candidate.py");
        await File.WriteAllTextAsync(kernel, "class Model: pass\n");

        var (exitCode, stderr) = await InvokeAsync("verify", "--problem", problem, "--kernel", kernel);

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("not a candidate KernelForge can run", stderr, StringComparison.Ordinal);
        Assert.Contains("ModelNew", stderr, StringComparison.Ordinal);
    }

    [Fact]
    // Runs where dotnet test runs: CI and developer machines, which have no GPU (the GPU suite covers GPU hosts).
    public async Task Invoke_NoGpuOnThisMachine_ExitsTwoWithEnvironmentSentence()
    {
        var (exitCode, stderr) = await InvokeAsync("verify", "--problem", RepositoryFiles.Find("problems/level1/relu.py"), "--kernel", RepositoryFiles.Find("examples/relu_abi.cu"), "--archive", Path.Combine(Path.GetTempPath(), "kforge-test.db"));

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("No usable NVIDIA GPU", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
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

/// <summary>Tests that swap Console.Error run one at a time.</summary>
[CollectionDefinition(nameof(SerialConsoleGroup), DisableParallelization = true)]
public sealed class SerialConsoleGroup;
