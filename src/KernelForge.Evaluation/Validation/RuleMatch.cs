namespace KernelForge.Evaluation.Validation;

/// <summary>One place a static rule matched: the 1-based line and what matched there (a name, a header, an asm statement).</summary>
public readonly record struct RuleMatch(int Line, string Matched);
