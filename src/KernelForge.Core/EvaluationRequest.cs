namespace KernelForge.Core;

/// <summary>What to evaluate: one candidate against one problem, under a precision policy and the timing protocol.</summary>
public sealed record EvaluationRequest(string ProblemPath, Candidate Candidate, PrecisionPolicy Precision, TimingOptions Timing, int InputSetCount = 3)
{
    /// <summary>
    /// Run every correctness check and stop before timing (<c>kforge verify --check-only</c>): the result is
    /// <see cref="EvaluationResult.Correct"/> but never <see cref="EvaluationResult.Accepted"/>, and the checks that need
    /// timed calls (checked timed calls, cached results, the floors) do not run.
    /// </summary>
    public bool CheckOnly { get; init; }
}
