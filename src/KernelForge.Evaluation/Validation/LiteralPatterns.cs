using System.Text.RegularExpressions;

namespace KernelForge.Evaluation.Validation;

/// <summary>Matchers over the contents of string literals, for the few rules that must read them (paths, section names).</summary>
/// <remarks>
/// Adjacent literals are joined first, as both C++ and Python join them (and Python's <c>+</c> between literals is
/// joined too), so <c>"/pr" "oc"</c> reads <c>/proc</c>. Escapes are already decoded by the scanners. Included file
/// names count as literals.
/// </remarks>
internal static partial class LiteralPatterns
{
    /// <summary>Paths under <c>/proc</c>, <c>/dev</c> (<c>/dev/shm</c> included) or <c>/sys</c>, after collapsing <c>//</c> and <c>/./</c>.</summary>
    public static IEnumerable<RuleMatch> SystemPaths(ScannedSource source)
    {
        foreach (var (line, value) in Runs(source))
        {
            var path = DotSegment().Replace(Slashes().Replace(value, "/"), "/");
            path = Slashes().Replace(path, "/");
            if (SystemPath().Match(path) is { Success: true } match)
            {
                yield return new RuleMatch(line, "\"" + match.Value + "\"");
            }
        }
    }

    /// <summary>Literals containing one of <paramref name="fragments"/> (ordinal).</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Containing(params string[] fragments) =>
        source => Runs(source)
            .Select(run => (run.Line, Fragment: fragments.FirstOrDefault(fragment => run.Value.Contains(fragment, StringComparison.Ordinal))))
            .Where(run => run.Fragment is not null)
            .Select(run => new RuleMatch(run.Line, "\"" + run.Fragment + "\""));

    /// <summary>Joined runs of adjacent string literals, each with the line of its first literal; included file names too.</summary>
    public static IEnumerable<(int Line, string Value)> Runs(ScannedSource source)
    {
        var tokens = source.Tokens;
        var consumed = -1;
        foreach (var i in source.LiteralIndices)
        {
            if (i <= consumed)
            {
                continue;
            }

            if (tokens[i].Kind == SourceTokenKind.HeaderName)
            {
                yield return (tokens[i].Line, tokens[i].Value ?? "");
                continue;
            }

            var value = new System.Text.StringBuilder(tokens[i].Value);
            var last = i;
            while (last + 1 < tokens.Count && (tokens[last + 1].Kind == SourceTokenKind.StringLiteral
                || (tokens[last + 1].IsPunctuator("+") && last + 2 < tokens.Count && tokens[last + 2].Kind == SourceTokenKind.StringLiteral)))
            {
                last += tokens[last + 1].Kind == SourceTokenKind.StringLiteral ? 1 : 2;
                value.Append(tokens[last].Value);
            }

            consumed = last;
            yield return (tokens[i].Line, value.ToString());
        }
    }

    [GeneratedRegex(@"/{2,}")]
    private static partial Regex Slashes();

    [GeneratedRegex(@"/(?:\./)+")]
    private static partial Regex DotSegment();

    [GeneratedRegex(@"/(?:proc|dev|sys)(?![\w-])[^\s""']*")]
    private static partial Regex SystemPath();
}
