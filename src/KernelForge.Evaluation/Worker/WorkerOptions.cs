namespace KernelForge.Evaluation.Worker;

/// <summary>How to start the reference worker: the Python interpreter and the folder holding the <c>kforge_worker</c> package.</summary>
public sealed record WorkerOptions(string PythonPath, string WorkerSourceDirectory, int Device)
{
    /// <summary>Deadline for loading a problem: building the model, drawing inputs, float32 and float64 outputs.</summary>
    public TimeSpan LoadDeadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Deadline for one reference timing; torch.compile's first call can take a minute.</summary>
    public TimeSpan TimingDeadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A torch device string (e.g. "cpu") sent instead of <c>Device</c>: translation needs torch but no GPU.</summary>
    public string? TorchDevice { get; init; }

    /// <summary>Where the child processes' stderr lines go (null: kept only as a tail for error messages).</summary>
    public Action<string>? StderrSink { get; init; }

    /// <summary>Deadline for <c>functionalize</c>: capture, then two models and a float64 copy per seed (minutes on a CPU for large problems).</summary>
    public TimeSpan FunctionalizeDeadline { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Deadline for a check and for small requests.</summary>
    public TimeSpan RequestDeadline { get; init; } = TimeSpan.FromMinutes(2);
}
