namespace KernelForge.Evaluation.Validation;

/// <summary>One match of one static rule in a candidate.</summary>
/// <param name="RuleId">The <see cref="StaticRule.Id"/> that matched.</param>
/// <param name="Verdict">The verdict under the policy the check ran with.</param>
/// <param name="Line">1-based line in the candidate's source.</param>
/// <param name="Excerpt">That source line, trimmed, at most <see cref="MaxExcerptChars"/> characters.</param>
/// <param name="Message">What to do instead (the rule's message).</param>
/// <param name="Matched">What matched on that line: a name, a header, a path, an asm statement.</param>
public sealed record StaticFinding(string RuleId, StaticVerdict Verdict, int Line, string Excerpt, string Message, string Matched)
{
    /// <summary>Longest excerpt kept; longer lines are cut and end in an ellipsis.</summary>
    public const int MaxExcerptChars = 120;
}
