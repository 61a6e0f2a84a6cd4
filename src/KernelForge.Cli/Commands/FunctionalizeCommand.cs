using System.CommandLine;
using Spectre.Console;

namespace KernelForge.Cli.Commands;

/// <summary><c>kforge functionalize problem.py</c>: write the problem's functional form (module_fn plus a Model calling it) and check it on several seeds.</summary>
internal sealed class FunctionalizeCommand : Command
{
    public const string HelpText = """
        Write a problem's functional form and check it against the problem (needs torch, not a GPU).

        The problem's Model is captured as a graph of ATen ops (torch.export; make_fx on a torch without it) and
        written as a standalone KernelBench-format file: module_fn(inputs..., parameters..., buffers...) holds the
        computation, and a Model whose forward calls it with its own parameters and buffers, which the problem's own
        Model creates (the same seed gives the same values). The file is then checked: on every seed, the problem's
        Model and the functional Model are built and given inputs after that seed, and their outputs must agree
        within four times the problem's own float32 error against float64 (at least 1e-6 of the largest output).
        Exit codes: 0 checked equal; 1 written, but it differs (a warning says where); 2 usage or environment error;
        3 the model could not be captured (data-dependent control flow, unsupported constructs: the file and line).

        Example:
          kforge functionalize problems/level1/layer_norm.py
        writes ./layer_norm_functional.py, a problem like any other:
          kforge verify --problem layer_norm_functional.py --kernel kernel.cu
        """;

    private static readonly Argument<FileInfo> ProblemArgument = new("problem")
    {
        Description = "The problem: a KernelBench-format .py (class Model, get_inputs, get_init_inputs).",
    };

    private static readonly Option<FileInfo?> OutOption = new("--out", "-o")
    {
        Description = "Where to write the functional form [default: ./<problem>_functional.py].",
    };

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print one JSON document: the file written, how the graph was captured, and the error on each seed.",
    };

    private static readonly Option<int> InputSetsOption = new("--input-sets")
    {
        Description = "Seeds the functional form is checked on; at least 3.",
        DefaultValueFactory = _ => 3,
    };

    public FunctionalizeCommand(IAnsiConsole console)
        : base("functionalize", HelpText)
    {
        Arguments.Add(ProblemArgument);
        Options.Add(OutOption);
        Options.Add(JsonOption);
        Options.Add(InputSetsOption);
        InputSetsOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 3)
            {
                result.AddError("--input-sets must be at least 3: a form right on one draw only (a branch baked in at capture) must not pass.");
            }
        });
        SetAction((parseResult, cancellationToken) =>
        {
            var problem = parseResult.GetRequiredValue(ProblemArgument);
            var output = parseResult.GetValue(OutOption) ?? new FileInfo(Path.GetFileNameWithoutExtension(problem.Name) + "_functional.py");
            return new FunctionalizeWorkflow(console).RunAsync(problem, output, parseResult.GetValue(InputSetsOption), parseResult.GetValue(JsonOption), cancellationToken);
        });
    }
}
