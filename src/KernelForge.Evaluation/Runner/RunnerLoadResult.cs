using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>Outcome of loading a candidate library into the runner: loaded, or why not (<c>load_error</c>, <c>runner_crashed</c>, <c>timeout</c>).</summary>
public sealed record RunnerLoadResult(FailureKind? Failure, string? Message)
{
    public static RunnerLoadResult Loaded { get; } = new(Failure: null, Message: null);

    public bool Succeeded => Failure is null;
}
