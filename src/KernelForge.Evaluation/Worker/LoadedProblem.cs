using KernelForge.Core;

namespace KernelForge.Evaluation.Worker;

/// <summary>A problem the worker has loaded: its description plus the <c>.npy</c> files of every input set (one list per seed).</summary>
public sealed record LoadedProblem(ProblemInfo Info, IReadOnlyList<IReadOnlyList<string>> InputFiles)
{
    /// <summary>What the degenerate-problem lint found (empty until the session lints the problem).</summary>
    public IReadOnlyList<ProblemLintFinding> LintFindings { get; init; } = [];
}
