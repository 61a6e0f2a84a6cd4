namespace KernelForge.Evaluation.Runner;

/// <summary>Stops a timing loop when a timed call fails; carries the failure so the runner can report it as a value.</summary>
internal sealed class TimedCallFailedException(CallOutcome outcome) : Exception(outcome?.Message)
{
    public CallOutcome Outcome { get; } = outcome ?? throw new ArgumentNullException(nameof(outcome));
}
