using System.Text.Json;
using System.Text.Json.Nodes;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Worker;
using Spectre.Console;

namespace KernelForge.Cli;

/// <summary><c>kforge lint</c>: loads each problem in the worker (three seeds) and prints what its lint found.</summary>
internal sealed class LintWorkflow(IAnsiConsole console)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<int> RunAsync(IReadOnlyList<FileInfo> problems, bool json, CancellationToken cancellationToken)
    {
        if (problems.FirstOrDefault(problem => !problem.Exists) is { } missing)
        {
            return Fail($"problem file '{missing}' does not exist; pass KernelBench-format .py files (see problems/).");
        }

        var results = new List<(FileInfo Problem, ProblemLint? Lint, string? Error)>();
        try
        {
            await using var worker = await WorkerLauncher.StartAsync("linting a problem", cancellationToken);
            foreach (var problem in problems)
            {
                var directory = Directory.CreateTempSubdirectory("kforge-lint-");
                try
                {
                    await worker.LoadProblemAsync(problem.FullName, EvaluationSessionOptions.DefaultSeeds, directory.FullName, cancellationToken);
                    results.Add((problem, await worker.LintAsync(cancellationToken), null));
                }
                catch (ProtocolErrorException ex) when (ex.Kind.StartsWith("problem_", StringComparison.Ordinal))
                {
                    results.Add((problem, null, ex.Message));
                }
                finally
                {
                    directory.Delete(recursive: true);
                }
            }
        }
        catch (EnvironmentException ex)
        {
            return Fail(ex.Message);
        }

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(ToJson(results).ToJsonString(Indented));
        }
        else
        {
            Render(results);
        }

        return results.Any(result => result.Error is not null) ? ExitCodes.UsageOrEnvironment
            : results.All(result => result.Lint!.Clean) ? ExitCodes.Success
            : ExitCodes.Rejected;
    }

    private void Render(List<(FileInfo Problem, ProblemLint? Lint, string? Error)> results)
    {
        foreach (var (problem, lint, error) in results)
        {
            if (error is not null)
            {
                console.MarkupLineInterpolated($"[red]{problem}[/]: {error}");
            }
            else if (lint!.Clean)
            {
                console.MarkupLineInterpolated($"[green]{problem}[/]: clean ({string.Join(", ", lint.Checked)})");
            }
            else
            {
                foreach (var finding in lint.Findings)
                {
                    var output = finding.Output is { } index ? $" output {index}" : "";
                    console.MarkupLineInterpolated($"[yellow]{problem}[/]{output}: [yellow]{finding.Code}[/]: {finding.Message}");
                }
            }
        }
    }

    private static JsonObject ToJson(List<(FileInfo Problem, ProblemLint? Lint, string? Error)> results) => new()
    {
        ["problems"] = new JsonArray([.. results.Select(result => (JsonNode)new JsonObject
        {
            ["path"] = result.Problem.ToString(),
            ["error"] = result.Error,
            ["clean"] = result.Lint?.Clean,
            ["checked"] = result.Lint is null ? null : new JsonArray([.. result.Lint.Checked.Select(code => JsonValue.Create(code))]),
            ["findings"] = result.Lint is null ? null : new JsonArray([.. result.Lint.Findings.Select(finding => (JsonNode)new JsonObject
            {
                ["code"] = finding.Code,
                ["output"] = finding.Output,
                ["message"] = finding.Message,
            })]),
        })]),
    };

    private static int Fail(string message)
    {
        Console.Error.WriteLine("kforge: " + message);
        return ExitCodes.UsageOrEnvironment;
    }
}
