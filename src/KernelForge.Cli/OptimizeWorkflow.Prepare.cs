using KernelForge.Cli.Rendering;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Worker;
using KernelForge.Search.Tuning;
using KernelForge.Translation;
using Spectre.Console;

namespace KernelForge.Cli;

internal sealed partial class OptimizeWorkflow
{
    /// <summary>The exported graph and the lint's findings, or the exit code that ends the command.</summary>
    private sealed record Prepared(string? GraphJson, IReadOnlyList<ProblemLintFinding> LintFindings, int? ExitCode);

    /// <summary>Loads the problem in a worker, lints it and exports its graph (torch.export, core ATen).</summary>
    private static async Task<Prepared> PrepareAsync(FileInfo problem, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("kforge-optimize-");
        try
        {
            await using var worker = await WorkerLauncher.StartAsync("optimizing a problem", cancellationToken);
            await worker.LoadProblemAsync(problem.FullName, EvaluationSessionOptions.DefaultSeeds, directory.FullName, cancellationToken);
            var lint = await worker.LintAsync(cancellationToken);
            return new Prepared(await worker.ExportGraphAsync(cancellationToken), lint.Findings, null);
        }
        catch (ProtocolErrorException ex) when (ex.Kind == "not_translatable")
        {
            return new Prepared(null, [], Fail($"{problem} is not translatable by the built-in translator: {ex.Message}", ExitCodes.NotTranslatable));
        }
        catch (ProtocolErrorException ex) when (ex.Kind.StartsWith("problem_", StringComparison.Ordinal) || ex.Kind == "environment")
        {
            return new Prepared(null, [], Fail(ex.Message));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Lint findings go to stderr in yellow capitals: a degenerate problem makes every speedup suspect.</summary>
    private void WarnLoudly(IReadOnlyList<string> lintWarnings)
    {
        foreach (var warning in lintWarnings)
        {
            console.MarkupLineInterpolated($"[bold yellow]warning:[/] [yellow]{warning}[/]");
        }
    }

    private int NotTranslatable(FileInfo problem, TranslationResult baseline)
    {
        foreach (var diagnostic in baseline.Diagnostics)
        {
            console.MarkupLineInterpolated($"[yellow]{diagnostic}[/]");
        }

        return Fail($"{problem} is not translatable by the built-in translator: {baseline.Diagnostics.FirstOrDefault(d => d.Severity == Translation.Diagnostics.DiagnosticSeverity.Error)?.Message ?? "see the diagnostics above"}", ExitCodes.NotTranslatable);
    }

    private void RenderNoneAccepted(TuningResult tuning, bool json)
    {
        var reasons = tuning.Evaluated.GroupBy(variant => variant.Evaluation.Failure?.Value ?? "unknown")
            .Select(group => $"{group.Count()} × {group.Key}: {group.First().Evaluation.FailureMessage?.Split('\n')[0]}").ToList();
        if (json)
        {
            console.Profile.Out.Writer.WriteLine(OptimizeJsonWriter.WriteNoneAccepted(tuning));
        }
        else
        {
            console.MarkupLineInterpolated($"[bold red]NO VARIANT ACCEPTED[/] of {tuning.Evaluated.Count} evaluated; nothing was written. Rejections:");
            foreach (var reason in reasons)
            {
                console.MarkupLineInterpolated($"  [red]{reason}[/]");
            }

            console.MarkupLine("Run [bold]kforge verify --explain[/] on out/<problem>/kernel.cu from [bold]kforge translate[/] to see every check.");
        }
    }
}
