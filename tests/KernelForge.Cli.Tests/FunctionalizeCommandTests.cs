using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console.Testing;

namespace KernelForge.Cli.Tests;

/// <summary><c>kforge functionalize</c>: parsing, help, and the workflow against a scripted worker (no torch needed).</summary>
[Collection(nameof(SerialConsoleGroup))]
public sealed class FunctionalizeCommandTests
{
    [Fact]
    public void Parse_EveryOption_Accepted()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["functionalize", "p.py", "-o", "out.py", "--json", "--input-sets", "4"]);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Parse_TwoInputSets_ReportsAtLeastThree()
    {
        var result = KforgeRootCommand.Create(new TestConsole()).Parse(["functionalize", "p.py", "--input-sets", "2"]);

        Assert.Contains(result.Errors, error => error.Message.Contains("at least 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_TeachesWhatItDoesWithAnExample()
    {
        using var output = new StringWriter();

        var exitCode = await KforgeRootCommand.Create(new TestConsole()).Parse(["functionalize", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        var help = output.ToString();
        Assert.Contains("module_fn(inputs..., parameters..., buffers...)", help, StringComparison.Ordinal);
        Assert.Contains("kforge functionalize problems/level1/layer_norm.py", help, StringComparison.Ordinal);
        Assert.Contains("Exit codes", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_MissingProblemFile_ExitsTwoWithOneSentence()
    {
        var (exitCode, _, stderr) = await InvokeAsync("functionalize", "does/not/exist.py");

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Invoke_OutputIsTheProblem_ExitsTwoWithoutStartingTheWorker()
    {
        var problem = RepositoryFiles.Find("problems/level1/relu.py");
        using var worker = new ScriptedWorker(GoldenResponse());

        var (exitCode, _, stderr) = await InvokeAsync("functionalize", problem, "-o", problem);

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("is the problem itself", stderr, StringComparison.Ordinal);
        Assert.Empty(worker.Requests());
    }

    [Fact]
    public async Task Invoke_Matches_ExitsZeroAndShowsEverySeed()
    {
        using var worker = new ScriptedWorker(GoldenResponse());
        var output = Path.Combine(worker.Folder, "ln_functional.py");

        var (exitCode, stdout, stderr) = await InvokeAsync("functionalize", RepositoryFiles.Find("problems/level1/layer_norm.py"), "-o", output);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", stderr);
        Assert.Contains("torch.export (core ATen)", stdout, StringComparison.Ordinal);
        Assert.Contains("3003", stdout, StringComparison.Ordinal);
        Assert.Contains("checked", stdout, StringComparison.Ordinal);
        var request = JsonNode.Parse(worker.Requests().Single(line => line.Contains("\"functionalize\"", StringComparison.Ordinal)))!;
        Assert.Equal(output, request["output_path"]!.GetValue<string>());
        Assert.Equal([1001L, 2002L, 3003L], request["seeds"]!.AsArray().Select(seed => seed!.GetValue<long>()));
        Assert.True(Path.IsPathFullyQualified(request["problem_path"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Invoke_WithoutOut_WritesProblemStemFunctionalInTheWorkingDirectory()
    {
        using var worker = new ScriptedWorker(GoldenResponse());

        await InvokeAsync("functionalize", RepositoryFiles.Find("problems/level1/layer_norm.py"), "--input-sets", "4");

        var request = JsonNode.Parse(worker.Requests().Single(line => line.Contains("\"functionalize\"", StringComparison.Ordinal)))!;
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "layer_norm_functional.py"), request["output_path"]!.GetValue<string>());
        Assert.Equal(4, request["seeds"]!.AsArray().Count);
    }

    [Fact]
    public async Task Invoke_DoesNotMatch_ExitsOneWithAWarning()
    {
        var response = JsonNode.Parse(GoldenResponse())!.AsObject();
        response["matches"] = false;
        response["sets"]![1]!["passed"] = false;
        response["sets"]![1]!["max_abs_error"] = 0.5;
        response["sets"]![1]!["message"] = "output 0: max abs error 0.5 exceeds the allowed 1.26e-05";
        using var worker = new ScriptedWorker(response.ToJsonString());

        var (exitCode, stdout, stderr) = await InvokeAsync("functionalize", RepositoryFiles.Find("problems/level1/layer_norm.py"), "-o", Path.Combine(worker.Folder, "f.py"));

        Assert.Equal(ExitCodes.Rejected, exitCode);
        Assert.Contains("does not match", stdout, StringComparison.Ordinal);
        Assert.Contains("exceeds the allowed", stdout, StringComparison.Ordinal);
        Assert.Contains("warning", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ExportFailure_ExitsThreeWithFileAndLineInOneLine()
    {
        const string Error = """{"ok": false, "error": {"kind": "not_translatable", "message": "/p/branchy.py:7: make_fx could not trace the model (RuntimeError: data-dependent control flow).", "file": "/p/branchy.py", "line": 7}}""";
        using var worker = new ScriptedWorker(Error);

        var (exitCode, _, stderr) = await InvokeAsync("functionalize", RepositoryFiles.Find("problems/level1/relu.py"), "-o", Path.Combine(worker.Folder, "f.py"));

        Assert.Equal(ExitCodes.NotTranslatable, exitCode);
        Assert.Contains("/p/branchy.py:7:", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NoTorch_ExitsTwoSayingSo()
    {
        using var worker = new ScriptedWorker(GoldenResponse(), torchVersion: "");

        var (exitCode, _, stderr) = await InvokeAsync("functionalize", RepositoryFiles.Find("problems/level1/relu.py"), "-o", Path.Combine(worker.Folder, "f.py"));

        Assert.Equal(ExitCodes.UsageOrEnvironment, exitCode);
        Assert.Contains("cannot import torch", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_Json_PrintsOneDocument()
    {
        using var worker = new ScriptedWorker(GoldenResponse());

        var (exitCode, stdout, _) = await InvokeAsync("functionalize", RepositoryFiles.Find("problems/level1/layer_norm.py"), "-o", "ln.py", "--json");

        Assert.Equal(ExitCodes.Success, exitCode);
        var document = JsonNode.Parse(stdout)!;
        Assert.True(document["matches"]!.GetValue<bool>());
        Assert.Equal("ln.py", document["output_path"]!.GetValue<string>());
        Assert.Equal(3, document["sets"]!.AsArray().Count);
        Assert.Equal(0.0, document["sets"]![0]!["max_abs_error"]!.GetValue<double>());
    }

    /// <summary>The golden <c>functionalize</c> response the worker's own tests check, without v and id.</summary>
    private static string GoldenResponse()
    {
        var line = File.ReadAllLines(RepositoryFiles.Find("worker/protocol-examples/functionalize.jsonl"))[1];
        var response = JsonNode.Parse(line)!.AsObject();
        response.Remove("v");
        response.Remove("id");
        return response.ToJsonString();
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> InvokeAsync(params string[] args)
    {
        var previous = Console.Error;
        using var stderr = new StringWriter();
        Console.SetError(stderr);
        try
        {
            var console = new TestConsole().Width(250);
            var exitCode = await KforgeRootCommand.Create(console).Parse(args).InvokeAsync();
            return (exitCode, console.Output, stderr.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
