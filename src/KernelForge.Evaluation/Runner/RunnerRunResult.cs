using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// Outcome of one checked call (<c>run</c>): no failure means the outputs were written for the worker to check;
/// otherwise the first of <c>runtime_error</c>, <c>out_of_bounds_write</c>, <c>input_modified</c>, or
/// <c>runner_crashed</c> / <c>timeout</c> when the runner died or hung.
/// </summary>
/// <remarks><see cref="ReturnCode"/> is what <c>kforge_entry</c> returned; null when the runner did not say (crash, timeout).</remarks>
public sealed record RunnerRunResult(FailureKind? Failure, string? Message, int? ReturnCode)
{
    public bool Succeeded => Failure is null;

    /// <summary>Event time of the call, in µs, when the runner measured it (the fresh-memory run).</summary>
    public double? CallMicroseconds { get; init; }

    /// <summary>Kernel launches during the call (CUPTI); null when not counted (<see cref="LaunchesNotCounted"/> says why).</summary>
    public int? Launches { get; init; }

    /// <summary>Launches per kernel name (mangled) during the call; null when not counted.</summary>
    public IReadOnlyDictionary<string, int>? LaunchedKernels { get; init; }

    /// <summary>Why launches were not counted (no CUPTI here, a torch-extension runner); null when counted or not asked.</summary>
    public string? LaunchesNotCounted { get; init; }
}
