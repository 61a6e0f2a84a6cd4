namespace KernelForge.Core;

/// <summary>One check the evaluator ran on a candidate and what it saw, in order: what <c>kforge verify --explain</c> prints.</summary>
/// <param name="Check">A stable name, e.g. <c>static_checks</c>, <c>canaries</c>, <c>tolerance</c>, <c>timing_floor</c>.</param>
/// <param name="Passed">False for the check that rejected the candidate; warnings pass.</param>
/// <param name="Saw">What the check observed, in one line, numbers in invariant culture.</param>
public sealed record CheckRecord(string Check, bool Passed, string Saw);
