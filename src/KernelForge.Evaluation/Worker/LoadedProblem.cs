using KernelForge.Core;

namespace KernelForge.Evaluation.Worker;

/// <summary>A problem the worker has loaded: its description plus the <c>.npy</c> files of every input set (one list per seed).</summary>
public sealed record LoadedProblem(ProblemInfo Info, IReadOnlyList<IReadOnlyList<string>> InputFiles)
{
    /// <summary>What the degenerate-problem lint found (empty until the session lints the problem).</summary>
    public IReadOnlyList<ProblemLintFinding> LintFindings { get; init; } = [];

    /// <summary>
    /// The <c>.npy</c> files of one more input set the candidate never gets as a set of its own: the fresh-memory check
    /// writes it into input set 0's buffers. Null when the problem was loaded without it.
    /// </summary>
    public IReadOnlyList<string>? FreshInputFiles { get; init; }

    /// <summary>The seed of <see cref="FreshInputFiles"/>; the worker holds its reference after the others.</summary>
    public long? FreshSeed { get; init; }
}
