namespace KernelForge.Evaluation.Worker;

/// <summary>One way a problem is degenerate (e.g. an all-zeros output passes), found by the worker's <c>lint_problem</c>.</summary>
/// <remarks><c>Output</c> is the output index the finding concerns, or null when it concerns the whole problem.</remarks>
public sealed record ProblemLintFinding(string Code, int? Output, string Message);
