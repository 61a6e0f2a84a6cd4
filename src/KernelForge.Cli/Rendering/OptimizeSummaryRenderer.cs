using KernelForge.Core;
using KernelForge.Search.Tuning;
using Spectre.Console;

namespace KernelForge.Cli.Rendering;

/// <summary>The console summary of <c>kforge optimize</c>: both forms' numbers, the schedule chosen and the files written.</summary>
internal static class OptimizeSummaryRenderer
{
    public static void Render(IAnsiConsole console, OptimizeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var best = result.Best!;
        console.MarkupLineInterpolated($"[bold green]VERIFIED KERNEL FOUND[/] after {result.Tuning.Evaluated.Count} variants ({result.Tuning.AcceptedCount} accepted); {OptimizeReportWriter.StopReason(result.Tuning.StopReason)}");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("form", "verdict", "median", "vs eager", "vs torch.compile", "max abs err vs fp64", "fraction of floor");
        AddRow(table, "ABI kernel", best.Evaluation, null);
        AddRow(table, "torch extension", result.Exported, result.ExportError);
        console.Write(table);
        console.MarkupLineInterpolated($"[bold]Schedule[/] {ScheduleText.Describe(best.Schedules)}");
        console.MarkupLineInterpolated($"[bold]Libraries[/] {(result.LibrariesUsed.Count == 0 ? "none (pure CUDA)" : string.Join(", ", result.LibrariesUsed))}");
        if (result.Exported is { Accepted: false } rejected)
        {
            console.MarkupLineInterpolated($"[bold red]The exported extension was rejected[/] ({rejected.Failure?.Value}): {rejected.FailureMessage ?? ""}");
        }

        foreach (var warning in best.Evaluation.Warnings)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }

        console.MarkupLineInterpolated($"[green]wrote[/] {result.KernelPath}{(result.ExtensionPath is { } extension ? ", " + extension : "")}, {result.ReportPath}");
    }

    private static void AddRow(Table table, string form, EvaluationResult? result, string? notEvaluated)
    {
        if (result is null)
        {
            table.AddRow(Markup.Escape(form), Markup.Escape("not evaluated: " + (notEvaluated ?? "no result")), "–", "–", "–", "–", "–");
            return;
        }

        var (abs, _, _) = OptimizeReportWriter.MaxErrors(result);
        table.AddRow(
            Markup.Escape(form),
            result.Accepted ? "[green]accepted[/]" : $"[red]{Markup.Escape(result.Failure?.Value ?? "rejected")}[/]",
            Format.Microseconds(result.CandidateTiming?.MedianMicroseconds),
            Format.Ratio(result.SpeedupOverEager),
            Format.Ratio(result.SpeedupOverCompiled),
            Format.Scientific(abs),
            Format.Percent(result.FractionOfFloor));
    }
}
