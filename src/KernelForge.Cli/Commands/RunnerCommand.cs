using System.CommandLine;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Cli.Commands;

/// <summary><c>kforge __runner --device N</c> (hidden): the ABI runner process the orchestrator starts, one per GPU.</summary>
/// <remarks>It speaks JSON lines on stdin/stdout (docs/protocol.md) and loads candidate libraries; it never loads torch.</remarks>
internal sealed class RunnerCommand : Command
{
    public const string CommandName = "__runner";

    private static readonly Option<int> DeviceOption = new("--device")
    {
        Description = "CUDA device ordinal.",
        DefaultValueFactory = _ => 0,
    };

    public RunnerCommand()
        : base(CommandName, "Internal: the ABI runner process started by kforge verify.")
    {
        Hidden = true;
        Options.Add(DeviceOption);
        SetAction((parseResult, cancellationToken) => AbiRunner.RunProcessAsync(parseResult.GetValue(DeviceOption), cancellationToken));
    }
}
