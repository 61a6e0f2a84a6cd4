using System.Globalization;
using System.Text;

namespace KernelForge.Evaluation.Validation;

/// <summary>Outcome of the static checks on one candidate's source, before it is compiled.</summary>
/// <remarks>
/// <see cref="Rejected"/> is true when any finding has <see cref="StaticVerdict.Reject"/>: such a candidate is not
/// compiled. Flags and records travel with the evaluation. <see cref="LibrariesUsed"/> names every library a
/// <see cref="StaticVerdict.Record"/> (or, under the pure-CUDA policy, rejecting) rule saw, in table order.
/// </remarks>
public sealed record StaticCheckResult(IReadOnlyList<StaticFinding> Findings, bool Rejected, IReadOnlyList<string> LibrariesUsed)
{
    /// <summary>One line per library for reports, for example <c>uses cuBLAS: yes</c>; <c>uses libraries: no</c> when none.</summary>
    public IReadOnlyList<string> LibrarySummary =>
        LibrariesUsed.Count == 0 ? ["uses libraries: no"] : [.. LibrariesUsed.Select(library => $"uses {library}: yes")];

    /// <summary>The libraries a build of this source must link (<c>cublas</c> for <c>-lcublas</c>), in table order.</summary>
    public IReadOnlyList<string> LinkLibraries => [.. LibrariesUsed.Select(StaticRuleTable.LinkNameOf).OfType<string>()];

    /// <summary>
    /// The text to store as the evaluation's failure message when <see cref="Rejected"/>: every rejecting finding with
    /// its line, excerpt and what to do instead.
    /// </summary>
    public string DescribeRejections()
    {
        var text = new StringBuilder("The candidate uses constructs the evaluator does not allow, so it was not compiled:");
        foreach (var finding in Findings.Where(finding => finding.Verdict == StaticVerdict.Reject))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  line {finding.Line} [{finding.RuleId}] {finding.Matched}: {finding.Message}");
            text.Append(CultureInfo.InvariantCulture, $"\n      {finding.Excerpt}");
        }

        return text.ToString();
    }
}
