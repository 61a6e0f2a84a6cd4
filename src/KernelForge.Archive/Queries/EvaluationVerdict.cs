namespace KernelForge.Archive.Queries;

/// <summary>Whether an evaluation accepted the candidate (every check passed and it was timed) or rejected it.</summary>
public enum EvaluationVerdict
{
    Accepted,
    Rejected,
}
