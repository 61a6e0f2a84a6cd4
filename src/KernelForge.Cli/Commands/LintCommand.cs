using System.CommandLine;
using Spectre.Console;

namespace KernelForge.Cli.Commands;

/// <summary><c>kforge lint problem.py…</c>: flags degenerate problems (zeros or a constant pass, outputs ignore inputs or weights) before any search.</summary>
internal sealed class LintCommand : Command
{
    private static readonly Argument<FileInfo[]> ProblemsArgument = new("problems")
    {
        Description = "Problem files (KernelBench format) to lint.",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print one JSON document with every problem's findings.",
    };

    public LintCommand(IAnsiConsole console)
        : base("lint", "Flag degenerate problems, where an all-zeros or constant output passes or outputs barely depend on inputs or weights (needs torch, not a GPU). Exit 1 when anything is flagged.")
    {
        Arguments.Add(ProblemsArgument);
        Options.Add(JsonOption);
        SetAction((parseResult, cancellationToken) =>
            new LintWorkflow(console).RunAsync(parseResult.GetRequiredValue(ProblemsArgument), parseResult.GetValue(JsonOption), cancellationToken));
    }
}
