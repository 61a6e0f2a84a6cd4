namespace KernelForge.Evaluation.Worker;

/// <summary>Raw samples of one reference timing (eager or torch.compile), in microseconds.</summary>
public sealed record ReferenceTiming(IReadOnlyList<double> SamplesMicroseconds, bool L2Flushed, double SetupSeconds);
