namespace KernelForge.Core;

/// <summary>The check of one independent input set: every output compared, plus what the runner saw around the call.</summary>
public sealed record InputSetCheck(int InputSetIndex, long Seed, IReadOnlyList<OutputCheck> Outputs, FailureKind? HarnessFailure, string? HarnessMessage)
{
    public bool Passed => HarnessFailure is null && Outputs.All(output => output.Passed);
}
