namespace KernelForge.Evaluation.Worker;

/// <summary>The worker's lint of a loaded problem: what it found and which checks it could run.</summary>
public sealed record ProblemLint(IReadOnlyList<ProblemLintFinding> Findings, IReadOnlyList<string> Checked)
{
    public bool Clean => Findings.Count == 0;
}
