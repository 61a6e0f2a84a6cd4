namespace KernelForge.Evaluation.Compilation;

/// <summary>
/// What a finished (or killed) compiler process left behind: its exit code (null when it was killed at its deadline,
/// <c>TimedOut</c>) and its stdout and stderr, interleaved as they arrived.
/// </summary>
internal sealed record ToolProcessResult(int? ExitCode, string Output, bool TimedOut);
