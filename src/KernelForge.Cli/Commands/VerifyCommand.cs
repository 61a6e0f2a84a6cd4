using System.CommandLine;
using KernelForge.Core;
using KernelForge.Evaluation.Validation;
using Spectre.Console;

namespace KernelForge.Cli.Commands;

/// <summary><c>kforge verify --problem P --kernel K</c>: compiles, checks and times candidates against a problem's reference.</summary>
internal sealed class VerifyCommand : Command
{
    private static readonly Option<FileInfo> ProblemOption = new("--problem", "-p")
    {
        Description = "The problem: a KernelBench-format .py (class Model, get_inputs, get_init_inputs).",
        Required = true,
    };

    private static readonly Option<FileInfo[]> KernelOption = new("--kernel", "-k")
    {
        Description = "Candidate source(s): a KernelForge ABI .cu (abi/README.md), a .cu with a pybind11 forward(), or a KernelBench ModelNew .py. Repeat to verify a batch; ABI candidates compile in parallel.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print one JSON document instead of tables (a {\"results\": [...]} document for a batch).",
    };

    private static readonly Option<bool> ExplainOption = new("--explain")
    {
        Description = "Also print every check that ran, in order, and what it saw (the JSON always carries it as \"explanation\").",
    };

    private static readonly Option<FileInfo> ArchiveOption = new("--archive")
    {
        Description = "SQLite archive every evaluation is appended to.",
        DefaultValueFactory = _ => new FileInfo("kforge.db"),
    };

    private static readonly Option<PrecisionPolicy> PrecisionOption = KebabCaseEnum.PrecisionOption();

    private static readonly Option<LibraryPolicy> LibraryPolicyOption = KebabCaseEnum.LibraryPolicyOption();

    private static readonly Option<int> DeviceOption = new("--device")
    {
        Description = "CUDA device ordinal to evaluate on.",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Option<int> InputSetsOption = new("--input-sets")
    {
        Description = "Independent input sets (seeds) every candidate must pass; at least 3.",
        DefaultValueFactory = _ => 3,
    };

    private static readonly Option<bool> CheckOnlyOption = new("--check-only")
    {
        Description = "Run every correctness check and stop before timing: verdict 'correct', exit 0. Fast, and safe beside other GPU work; no speedups, floors or timing checks.",
    };

    public VerifyCommand(IAnsiConsole console)
        : base("verify", "Compile, check and time candidate kernels against a problem's PyTorch reference.")
    {
        Options.Add(ProblemOption);
        Options.Add(KernelOption);
        Options.Add(JsonOption);
        Options.Add(ExplainOption);
        Options.Add(ArchiveOption);
        Options.Add(PrecisionOption);
        Options.Add(LibraryPolicyOption);
        Options.Add(DeviceOption);
        Options.Add(InputSetsOption);
        Options.Add(CheckOnlyOption);
        InputSetsOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 3)
            {
                result.AddError("--input-sets must be at least 3: fewer independent inputs let constant or cached outputs pass.");
            }
        });
        SetAction((parseResult, cancellationToken) =>
        {
            var settings = new VerifySettings(
                parseResult.GetRequiredValue(ProblemOption),
                parseResult.GetRequiredValue(KernelOption),
                parseResult.GetValue(JsonOption),
                parseResult.GetValue(ExplainOption),
                parseResult.GetRequiredValue(ArchiveOption),
                parseResult.GetValue(PrecisionOption),
                parseResult.GetValue(LibraryPolicyOption),
                parseResult.GetValue(DeviceOption),
                parseResult.GetValue(InputSetsOption),
                parseResult.GetValue(CheckOnlyOption));
            return new VerifyWorkflow(console).RunAsync(settings, cancellationToken);
        });
    }
}
