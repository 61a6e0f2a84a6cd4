namespace KernelForge.Core;

/// <summary>What to evaluate: one candidate against one problem, under a precision policy and the timing protocol.</summary>
public sealed record EvaluationRequest(string ProblemPath, Candidate Candidate, PrecisionPolicy Precision, TimingOptions Timing, int InputSetCount = 3);
