namespace KernelForge.Evaluation.Compilation;

/// <summary>
/// What a finished (or killed) compiler process left behind: its exit code (null when it was killed at its deadline,
/// <c>TimedOut</c>) and its stdout and stderr, interleaved as they arrived.
/// </summary>
internal sealed record ToolProcessResult(int? ExitCode, string Output, bool TimedOut)
{
    /// <summary>
    /// Stdout alone, for a tool whose answer is what it prints there: <see cref="Output"/>'s interleaving follows arrival,
    /// so a warning on stderr may land after the answer.
    /// </summary>
    public string StandardOutput { get; init; } = string.Empty;
}
