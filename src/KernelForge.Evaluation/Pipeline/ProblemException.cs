namespace KernelForge.Evaluation.Pipeline;

/// <summary>The problem file is missing or malformed; the message names the file (and line) and what to change.</summary>
public sealed class ProblemException(string kind, string message) : Exception(message)
{
    /// <summary>The worker's error kind: problem_not_found, problem_invalid or problem_failed.</summary>
    public string Kind { get; } = kind;
}
