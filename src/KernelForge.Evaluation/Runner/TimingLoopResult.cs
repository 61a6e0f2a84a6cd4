namespace KernelForge.Evaluation.Runner;

/// <summary>The samples a timing loop took, in order, and the host wall time the loop spent (a cross-check for the events).</summary>
internal sealed record TimingLoopResult(IReadOnlyList<double> SamplesMicroseconds, double WallMilliseconds);
