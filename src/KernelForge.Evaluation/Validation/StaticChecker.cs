using KernelForge.Core;

namespace KernelForge.Evaluation.Validation;

/// <summary>Runs <see cref="StaticRuleTable"/> over one candidate's source before it is compiled.</summary>
/// <remarks>
/// Pure and fast (a 1000-line file takes well under 5 ms): call it on every candidate. An ABI candidate is scanned as
/// CUDA. A torch-extension candidate is scanned as Python when it looks like Python (a <c>ModelNew</c> file, whose
/// C++ string literals are scanned as CUDA too), else as CUDA (a pybind <c>.cu</c>). One finding is kept per rule
/// and line, ordered by line and then table order.
/// </remarks>
public static class StaticChecker
{
    public static StaticCheckResult Check(string source, CandidateFormat format, LibraryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(source);
        List<ScannedSource> documents = [];
        if (format == CandidateFormat.TorchExtension && PythonSourceScanner.LooksLikePython(source))
        {
            var python = PythonSourceScanner.Scan(source);
            documents.Add(python);
            documents.AddRange(python.EmbeddedCuda);
        }
        else
        {
            documents.Add(CudaSourceScanner.Scan(source));
        }

        string[]? lines = null;
        var findings = new List<(int Order, StaticFinding Finding)>();
        var seen = new HashSet<(string RuleId, int Line)>();
        var libraries = new HashSet<string>(StringComparer.Ordinal);
        var rules = StaticRuleTable.Rules;
        for (var order = 0; order < rules.Count; order++)
        {
            var rule = rules[order];
            foreach (var document in documents.Where(document => rule.AppliesTo(document.Language, format)))
            {
                foreach (var match in rule.Match(document))
                {
                    if (rule.Library is { } library)
                    {
                        libraries.Add(library);
                    }

                    if (seen.Add((rule.Id, match.Line)))
                    {
                        var finding = new StaticFinding(rule.Id, rule.VerdictUnder(policy), match.Line, Excerpt(lines ??= source.Split('\n'), match.Line), rule.MessageUnder(policy), match.Matched);
                        findings.Add((order, finding));
                    }
                }
            }
        }

        IReadOnlyList<StaticFinding> ordered = [.. findings.OrderBy(item => item.Finding.Line).ThenBy(item => item.Order).Select(item => item.Finding)];
        return new StaticCheckResult(
            ordered,
            ordered.Any(finding => finding.Verdict == StaticVerdict.Reject),
            [.. StaticRuleTable.Libraries.Where(libraries.Contains)]);
    }

    private static string Excerpt(string[] lines, int line)
    {
        if (line < 1 || line > lines.Length)
        {
            return "";
        }

        var text = lines[line - 1].Trim();
        return text.Length <= StaticFinding.MaxExcerptChars ? text : text[..(StaticFinding.MaxExcerptChars - 1)] + "…";
    }
}
