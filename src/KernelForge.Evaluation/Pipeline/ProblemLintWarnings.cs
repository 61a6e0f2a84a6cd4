using System.Globalization;
using KernelForge.Core;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Pipeline;

/// <summary>
/// The degenerate-problem lint's findings as the warnings verify and optimize show: every finding, except those that
/// concern only the loose kernelbench tolerance when another precision policy is in use.
/// </summary>
public static class ProblemLintWarnings
{
    /// <summary>Codes about kernelbench's atol only (an all-zeros or tiny output passes it), shown only under that policy.</summary>
    private static readonly HashSet<string> KernelBenchOnlyCodes = new(StringComparer.Ordinal) { "zero_output_passes_kernelbench", "tiny_outputs" };

    /// <summary>One "DEGENERATE PROBLEM (code, output N): message" line per finding that concerns <paramref name="precision"/>.</summary>
    public static IReadOnlyList<string> For(IEnumerable<ProblemLintFinding> findings, PrecisionPolicy precision)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return [.. findings
            .Where(finding => precision == PrecisionPolicy.KernelBench || !KernelBenchOnlyCodes.Contains(finding.Code))
            .Select(finding => string.Create(CultureInfo.InvariantCulture,
                $"DEGENERATE PROBLEM ({finding.Code}{(finding.Output is { } output ? $", output {output}" : "")}): {finding.Message}"))];
    }
}
