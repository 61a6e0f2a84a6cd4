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

    /// <summary>
    /// Event time of the call, in µs, when the runner measured it: the ABI runner's fresh-memory run, every CUDA call of
    /// the extension runner (inflated by the profiler on calls whose launches it counted, so only its uncounted
    /// fresh-memory call is compared with timed samples).
    /// </summary>
    public double? CallMicroseconds { get; init; }

    /// <summary>Kernel launches during the call (CUPTI, or torch's profiler over CUPTI); null when not counted (<see cref="LaunchesNotCounted"/> says why).</summary>
    public int? Launches { get; init; }

    /// <summary>Launches per kernel name during the call (mangled from the ABI runner, demangled from the extension runner); null when not counted.</summary>
    public IReadOnlyDictionary<string, int>? LaunchedKernels { get; init; }

    /// <summary>Why launches were not counted (no CUPTI here, a CPU device, a profiler that failed); null when counted or not asked.</summary>
    public string? LaunchesNotCounted { get; init; }
}
