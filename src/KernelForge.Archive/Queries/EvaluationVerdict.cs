namespace KernelForge.Archive.Queries;

/// <summary>Whether an evaluation accepted the candidate (every check passed and it was timed), rejected it, or found it correct without timing it (check only).</summary>
public enum EvaluationVerdict
{
    Accepted,
    Rejected,
    Correct,
}
