namespace KernelForge.Core;

/// <summary>
/// Why a candidate was rejected. An open set: the worker and the runner report kinds as strings, and a
/// newer one may report kinds this build does not know, so this is a string-backed value rather than an enum.
/// </summary>
public readonly record struct FailureKind(string Value)
{
    /// <summary>The source uses a construct the static checks ban (another stream, host threads, files, non-PTX asm…); it was not compiled.</summary>
    public static FailureKind BannedConstruct { get; } = new("banned_construct");

    /// <summary>nvcc failed, or the source has no <c>kforge_entry</c>.</summary>
    public static FailureKind CompileError { get; } = new("compile_error");

    /// <summary>The compiler ran past its deadline.</summary>
    public static FailureKind CompileTimeout { get; } = new("compile_timeout");

    /// <summary>The library could not be loaded or has no entry point.</summary>
    public static FailureKind LoadError { get; } = new("load_error");

    /// <summary>The entry point returned non-zero or a CUDA error was raised during the call.</summary>
    public static FailureKind RuntimeError { get; } = new("runtime_error");

    /// <summary>Some output elements still hold the poison pattern the harness wrote before the call.</summary>
    public static FailureKind UnwrittenOutput { get; } = new("unwritten_output");

    /// <summary>An output holds NaN or infinity where the reference does not.</summary>
    public static FailureKind NonFiniteOutput { get; } = new("non_finite_output");

    /// <summary>An output differs from the float64 reference by more than the precision policy allows.</summary>
    public static FailureKind WrongResult { get; } = new("wrong_result");

    /// <summary>The same inputs gave different outputs on two runs: a race or a read of memory nothing wrote.</summary>
    public static FailureKind NondeterministicOutput { get; } = new("nondeterministic_output");

    /// <summary>An input buffer changed during the call.</summary>
    public static FailureKind InputModified { get; } = new("input_modified");

    /// <summary>A guard region next to a buffer changed: the kernel wrote out of bounds.</summary>
    public static FailureKind OutOfBoundsWrite { get; } = new("out_of_bounds_write");

    /// <summary>The call ran past its deadline; the runner was killed.</summary>
    public static FailureKind Timeout { get; } = new("timeout");

    /// <summary>The runner process died during the call (segfault, abort, sticky CUDA error).</summary>
    public static FailureKind RunnerCrashed { get; } = new("runner_crashed");

    /// <summary>The measured time is below the physical floor, so the measurement cannot be right.</summary>
    public static FailureKind ImplausibleTime { get; } = new("implausible_time");

    /// <summary>With inputs it never saw written into buffers it saw before, the outputs were wrong: results cached by address.</summary>
    public static FailureKind StaleOutput { get; } = new("stale_output");

    /// <summary>Calls on inputs it had seen were much faster than a call on new inputs: results reused instead of computed.</summary>
    public static FailureKind CachedResult { get; } = new("cached_result");

    /// <summary>Outputs of a timed call (checked after its end event) differ from the same input set's checked outputs.</summary>
    public static FailureKind TimedRunMismatch { get; } = new("timed_run_mismatch");

    /// <summary>None of the candidate's own kernels ran: its module defines no kernel and it calls no library, so its outputs are copies or constants.</summary>
    public static FailureKind KernelNotLaunched { get; } = new("kernel_not_launched");

    public override string ToString() => Value;
}
