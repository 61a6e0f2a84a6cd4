using System.Globalization;
using KernelForge.Evaluation.Worker;
using Spectre.Console;

namespace KernelForge.Cli.Rendering;

/// <summary>Renders what <c>kforge functionalize</c> wrote and checked: the file, how the graph was captured, the error on each seed.</summary>
internal static class FunctionalFormRenderer
{
    public static void Render(IAnsiConsole console, string problem, string output, FunctionalForm form)
    {
        console.MarkupLineInterpolated($"[bold]wrote[/] {output}: module_fn from a graph of {form.Nodes} ATen {(form.Nodes == 1 ? "node" : "nodes")}, captured by {form.Capture} with torch {form.TorchVersion}");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("seed", "max |functional − problem|", "allowed", "result");
        foreach (var set in form.Sets)
        {
            table.AddRow(
                set.Seed.ToString(CultureInfo.InvariantCulture),
                Format.Scientific(set.MaxAbsError),
                Format.Scientific(set.AllowedMaxAbsError),
                set.Passed ? "[green]equal[/]" : "[red]differs[/]: " + Markup.Escape(set.Message ?? "outputs differ"));
        }

        console.Write(table);
        foreach (var warning in form.Warnings)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }

        if (form.Matches)
        {
            console.MarkupLineInterpolated($"[green]checked[/]: the functional form gives {problem}'s outputs on {form.Sets.Count} seeds (same seed for the model and the inputs).");
        }
        else
        {
            var failed = string.Join(", ", form.Sets.Where(set => !set.Passed).Select(set => set.Seed.ToString(CultureInfo.InvariantCulture)));
            console.MarkupLineInterpolated($"[red]does not match[/] {problem} on seed(s) {failed}: the file is written for inspection only.");
        }
    }
}
