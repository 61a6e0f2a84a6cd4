using System.Collections.Frozen;

namespace KernelForge.Evaluation.Validation;

internal static partial class CudaPatterns
{
    // Words that make a declaration something other than a mutable variable.
    private static readonly FrozenSet<string> NotMutableVariable = FrozenSet.Create(StringComparer.Ordinal,
        "const", "constexpr", "consteval", "__constant__", "__shared__", "typedef", "using", "template", "namespace",
        "struct", "class", "union", "enum", "static_assert", "friend", "extern", "operator", "KFORGE_ENTRY");

    /// <summary>
    /// Mutable variables that outlive a call: namespace-scope variables (host or <c>__device__</c>/<c>__managed__</c>)
    /// and <c>static</c> ones anywhere, unless <c>const</c>/<c>constexpr</c>/<c>__constant__</c>.
    /// </summary>
    /// <remarks>
    /// State kept across calls is how a candidate caches a result, or counts calls to behave differently once the
    /// timing loop starts. The harness rotates input sets and poisons outputs, so most such tricks fail at run time;
    /// this is a flag for the reader, not a rejection (a grid-sync counter is honest state).
    /// </remarks>
    public static IEnumerable<RuleMatch> PersistentState(ScannedSource source)
    {
        var tokens = source.Tokens.Where(token => token.Directive is null).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsName("static") && MutableVariable(tokens, i + 1, tokens.Count) is { } name)
            {
                yield return new RuleMatch(tokens[i].Line, "static " + name);
            }
        }

        foreach (var match in NamespaceScopeVariables(tokens))
        {
            yield return match;
        }
    }

    private static IEnumerable<RuleMatch> NamespaceScopeVariables(List<SourceToken> tokens)
    {
        var namespaceDepth = 0;
        var start = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsPunctuator("}"))
            {
                namespaceDepth = Math.Max(0, namespaceDepth - 1);
                start = i + 1;
            }
            else if (token.IsPunctuator(";") || token.IsPunctuator("{"))
            {
                if (MutableVariable(tokens, start, i) is { } name)
                {
                    yield return new RuleMatch(tokens[start].Line, name);
                }

                if (token.IsPunctuator("{") && OpensNamespace(tokens, start, i))
                {
                    namespaceDepth++;
                }
                else if (token.IsPunctuator("{"))
                {
                    var typedefBlock = Enumerable.Range(start, i - start).Any(k => tokens[k].IsName("typedef"));
                    i = MatchingBrace(tokens, i);
                    if (typedefBlock)
                    {
                        // typedef struct { … } name; declares a type, not a variable: skip its declarators.
                        while (i + 1 < tokens.Count && !tokens[i].IsPunctuator(";"))
                        {
                            i++;
                        }
                    }
                }

                start = i + 1;
            }
        }
    }

    // The variable declared by tokens[start..end) (up to its first ; { ( = [ ,), or null if it is not a mutable variable.
    private static string? MutableVariable(List<SourceToken> tokens, int start, int end)
    {
        string? name = null;
        for (var k = start; k < end; k++)
        {
            var token = tokens[k];
            if (token.IsPunctuator("(") || token.IsPunctuator("<<<"))
            {
                return null;
            }

            if (token.IsPunctuator(";") || token.IsPunctuator("{") || token.IsPunctuator("=") || token.IsPunctuator("[") || token.IsPunctuator(","))
            {
                break;
            }

            if (token.IsIdentifier)
            {
                if (NotMutableVariable.Contains(token.Text))
                {
                    return null;
                }

                name = token.Text;
            }
        }

        return name;
    }

    private static bool OpensNamespace(List<SourceToken> tokens, int start, int brace) =>
        brace > start && (tokens[start].IsName("namespace") || (tokens[start].IsName("inline") && At(tokens, start + 1).IsName("namespace"))
            // extern "C" { … } is a linkage block; extern "C" int f(…) { … } is a function whose body is skipped.
            || (tokens[start].IsName("extern") && At(tokens, start + 1).Kind == SourceTokenKind.StringLiteral && brace == start + 2));

    private static int MatchingBrace(IReadOnlyList<SourceToken> tokens, int open)
    {
        var depth = 0;
        for (var k = open; k < tokens.Count; k++)
        {
            if (tokens[k].IsPunctuator("{"))
            {
                depth++;
            }
            else if (tokens[k].IsPunctuator("}") && --depth == 0)
            {
                return k;
            }
        }

        return tokens.Count - 1;
    }
}
