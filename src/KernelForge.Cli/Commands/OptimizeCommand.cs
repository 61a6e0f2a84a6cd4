using System.CommandLine;
using KernelForge.Core;
using KernelForge.Evaluation.Validation;
using Spectre.Console;

namespace KernelForge.Cli.Commands;

/// <summary><c>kforge optimize problem.py</c>: translate, tune the schedule on the GPU, export the fastest verified kernel as a torch extension.</summary>
internal sealed class OptimizeCommand : Command
{
    public const string HelpText = """
        Find a fast, verified CUDA kernel for a problem and export it for PyTorch.

        Lints the problem, translates it with the built-in translator, then evaluates schedule variants (block size,
        vector width, items per thread, for each kind of kernel) on the GPU: every variant is compiled, checked against
        the float64 reference on independent inputs and timed; the fastest accepted one wins. It is then wrapped as a
        torch extension (a pybind forward) that is verified and timed again from Python, exactly as the reference is.
        Writes <out>/<problem>/kernel.cu, extension.cu and report.md; every evaluation is appended to the archive.
        Ctrl+C stops the search and keeps the best kernel so far.

        Example:
          kforge optimize problems/level1/softmax.py --budget-minutes 5
        then, in Python, call the exported kernel (inputs, then the module's parameters):
          ext = torch.utils.cpp_extension.load("softmax_kf", ["out/softmax/extension.cu"]); y = ext.forward(x)
        """;

    private static readonly Argument<FileInfo> ProblemArgument = new("problem")
    {
        Description = "The problem: a KernelBench-format .py (class Model, get_inputs, get_init_inputs).",
    };

    private static readonly Option<double> BudgetOption = new("--budget-minutes", "-b")
    {
        Description = "Wall-clock minutes for the schedule search; the default schedule is always evaluated, the search stops early when every variant was tried.",
        DefaultValueFactory = _ => 10,
    };

    private static readonly Option<PrecisionPolicy> PrecisionOption = KebabCaseEnum.PrecisionOption();

    private static readonly Option<LibraryPolicy> LibraryPolicyOption = KebabCaseEnum.LibraryPolicyOption();

    private static readonly Option<DirectoryInfo> OutOption = new("--out", "-o")
    {
        Description = "Folder the results go under, as <out>/<problem>/.",
        DefaultValueFactory = _ => new DirectoryInfo("out"),
    };

    private static readonly Option<FileInfo> ArchiveOption = new("--archive")
    {
        Description = "SQLite archive every evaluation is appended to.",
        DefaultValueFactory = _ => new FileInfo("kforge.db"),
    };

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print one JSON document (the tuning run, both evaluations, the files written) instead of tables.",
    };

    private static readonly Option<int> DeviceOption = new("--device")
    {
        Description = "CUDA device ordinal to evaluate on.",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Option<int> InputSetsOption = new("--input-sets")
    {
        Description = "Independent input sets (seeds) every variant must pass; at least 3.",
        DefaultValueFactory = _ => 3,
    };

    public OptimizeCommand(IAnsiConsole console)
        : base("optimize", HelpText)
    {
        Arguments.Add(ProblemArgument);
        Options.Add(BudgetOption);
        Options.Add(PrecisionOption);
        Options.Add(LibraryPolicyOption);
        Options.Add(OutOption);
        Options.Add(ArchiveOption);
        Options.Add(JsonOption);
        Options.Add(DeviceOption);
        Options.Add(InputSetsOption);
        BudgetOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var minutes && (minutes < 0 || double.IsNaN(minutes) || double.IsInfinity(minutes)))
            {
                result.AddError("--budget-minutes must be a finite number of minutes, 0 or more (0 evaluates the default schedule only).");
            }
        });
        InputSetsOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 3)
            {
                result.AddError("--input-sets must be at least 3: fewer independent inputs let constant or cached outputs pass.");
            }
        });
        SetAction((parseResult, cancellationToken) =>
        {
            var settings = new OptimizeSettings(
                parseResult.GetRequiredValue(ProblemArgument),
                parseResult.GetValue(BudgetOption),
                parseResult.GetValue(PrecisionOption),
                parseResult.GetValue(LibraryPolicyOption),
                parseResult.GetRequiredValue(OutOption),
                parseResult.GetRequiredValue(ArchiveOption),
                parseResult.GetValue(JsonOption),
                parseResult.GetValue(DeviceOption),
                parseResult.GetValue(InputSetsOption));
            return new OptimizeWorkflow(console).RunAsync(settings, cancellationToken);
        });
    }
}
