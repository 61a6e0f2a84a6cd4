using System.Collections.Frozen;

namespace KernelForge.Evaluation.Validation;

/// <summary>Building blocks for the CUDA rules of <see cref="StaticRuleTable"/>: matchers over C++ tokens.</summary>
/// <remarks>
/// Name matchers ignore member accesses (<c>x.open</c>, <c>p-&gt;write</c>) and nothing else: a banned name matches
/// when called, when its address is taken, when declared, and in a <c>#define</c> body, so an alias
/// (<c>#define SYNC cudaDeviceSynchronize</c>) is caught where it is defined.
/// </remarks>
internal static partial class CudaPatterns
{
    private static readonly FrozenSet<string> HeaderDirectives = FrozenSet.Create(StringComparer.Ordinal, "include", "include_next", "import", "embed");

    /// <summary>Identifiers (not member names) spelled exactly as one of <paramref name="names"/>.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Names(params string[] names) =>
        source => Occurrences(source, names).Where(i => !IsMemberName(source.Tokens, i)).Select(i => Match(source, i, source.Tokens[i].Text));

    /// <summary>Identifiers (not member names) that start with one of <paramref name="prefixes"/>.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> NamesStartingWith(params string[] prefixes) =>
        Identifiers(name => StartsWithAny(name, prefixes));

    /// <summary>Identifiers (not member names) that <paramref name="matches"/> accepts.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Identifiers(Func<string, bool> matches) =>
        source => Occurrences(source, source.TextIndex.Keys.Where(matches))
            .Where(i => source.Tokens[i].IsIdentifier && !IsMemberName(source.Tokens, i))
            .Select(i => Match(source, i, source.Tokens[i].Text));

    /// <summary>Member names (after <c>.</c> or <c>-&gt;</c>) spelled as one of <paramref name="names"/>.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Members(params string[] names) =>
        source => Occurrences(source, names).Where(i => IsMemberName(source.Tokens, i))
            .Select(i => Match(source, i, source.Tokens[i - 1].Text + source.Tokens[i].Text));

    /// <summary>Namespaces or classes used as qualifiers (<c>cutlass::</c>): the identifier followed by <c>::</c>.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Qualifiers(params string[] names) =>
        source => Occurrences(source, names).Where(i => At(source.Tokens, i + 1).IsPunctuator("::"))
            .Select(i => Match(source, i, source.Tokens[i].Text + "::"));

    /// <summary>Names reached through a qualifier (<c>std::thread</c>, <c>::thread</c>): the identifier right after <c>::</c>.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> QualifiedNames(params string[] names) =>
        source => Occurrences(source, names).Where(i => i > 0 && source.Tokens[i - 1].IsPunctuator("::"))
            .Select(i => Match(source, i, "::" + source.Tokens[i].Text));

    /// <summary>Names reached through a given last qualifier (<c>cuda::synchronize</c> for qualifier <c>cuda</c>).</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> QualifiedBy(string qualifier, params string[] names) =>
        source => Occurrences(source, names)
            .Where(i => i > 1 && source.Tokens[i - 1].IsPunctuator("::") && source.Tokens[i - 2].IsName(qualifier))
            .Select(i => Match(source, i, qualifier + "::" + source.Tokens[i].Text));

    /// <summary>Included files named exactly as one of <paramref name="names"/> (<c>thread</c>, <c>pthread.h</c>).</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> HeadersNamed(params string[] names)
    {
        var set = names.ToFrozenSet(StringComparer.Ordinal);
        return Headers(set.Contains);
    }

    /// <summary>Included files whose name starts with one of <paramref name="prefixes"/> (<c>cublas</c>, <c>cutlass/</c>).</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> HeadersStartingWith(params string[] prefixes) =>
        Headers(name => StartsWithAny(name, prefixes));

    /// <summary>Included files whose name <paramref name="matches"/> accepts.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Headers(Func<string, bool> matches) =>
        source => source.LiteralIndices.Where(i => source.Tokens[i].Kind == SourceTokenKind.HeaderName && matches(source.Tokens[i].Text))
            .Select(i => Match(source, i, "#include <" + source.Tokens[i].Text + ">"));

    /// <summary>
    /// <c>#include</c> of a path outside the candidate (absolute, <c>..</c>, <c>~</c>), an <c>#include</c> of a macro
    /// (its path cannot be read here), and <c>#embed</c>.
    /// </summary>
    public static IEnumerable<RuleMatch> IncludesOutsideTree(ScannedSource source)
    {
        var tokens = source.Tokens;
        foreach (var i in source.LiteralIndices.Where(i => tokens[i].Kind == SourceTokenKind.HeaderName))
        {
            var name = tokens[i].Text.Trim();
            if (name.StartsWith('/') || name.StartsWith('~') || name.Contains("..", StringComparison.Ordinal) || name.Contains('\\'))
            {
                yield return Match(source, i, "#include \"" + name + "\"");
            }
        }

        foreach (var i in Occurrences(source, HeaderDirectives))
        {
            var isDirectiveName = i > 0 && tokens[i - 1].IsPunctuator("#") && tokens[i - 1].Directive == tokens[i].Text;
            if (isDirectiveName && tokens[i].Text == "embed")
            {
                yield return Match(source, i, "#embed");
            }
            else if (isDirectiveName && At(tokens, i + 1).Kind != SourceTokenKind.HeaderName)
            {
                yield return Match(source, i, "#" + tokens[i].Text + " of a macro");
            }
        }
    }

    /// <summary><c>#pragma NAME</c> and <c>_Pragma("NAME …")</c> for one of <paramref name="names"/> (<c>omp</c>).</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Pragmas(params string[] names) => source =>
    {
        var tokens = source.Tokens;
        var pragmas = Occurrences(source, names)
            .Where(i => tokens[i].Directive == "pragma" && i > 0 && tokens[i - 1].IsName("pragma"))
            .Select(i => Match(source, i, "#pragma " + tokens[i].Text));
        var operators = Occurrences(source, ["_Pragma"])
            .Where(i => At(tokens, i + 1).IsPunctuator("(") && At(tokens, i + 2).Value is { } text && names.Contains(text.Trim().Split(' ', '\t')[0]))
            .Select(i => Match(source, i, "_Pragma(\"" + tokens[i + 2].Value + "\")"));
        return pragmas.Concat(operators);
    };

    /// <summary>Token pasting (<c>##</c>) in a macro: it builds names no static rule can see.</summary>
    public static IEnumerable<RuleMatch> TokenPasting(ScannedSource source) =>
        Occurrences(source, ["##"]).Select(i => Match(source, i, "##"));

    /// <summary>Every rule's matches, in token order.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Any(params Func<ScannedSource, IEnumerable<RuleMatch>>[] matchers) =>
        source => matchers.SelectMany(matcher => matcher(source)).OrderBy(match => match.Line);

    // Token indices of the identifiers spelled as one of names, through the source's identifier index.
    internal static IEnumerable<int> Occurrences(ScannedSource source, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (source.TextIndex.TryGetValue(name, out var indices))
            {
                foreach (var index in indices)
                {
                    yield return index;
                }
            }
        }
    }

    private static RuleMatch Match(ScannedSource source, int index, string matched) => new(source.Tokens[index].Line, matched);

    internal static IEnumerable<RuleMatch> Walk(ScannedSource source, Func<IReadOnlyList<SourceToken>, int, string?> test)
    {
        var tokens = source.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (test(tokens, i) is { } matched)
            {
                yield return new RuleMatch(tokens[i].Line, matched);
            }
        }
    }

    internal static SourceToken At(IReadOnlyList<SourceToken> tokens, int index) =>
        index >= 0 && index < tokens.Count ? tokens[index] : default;

    private static bool IsMemberName(IReadOnlyList<SourceToken> tokens, int index) =>
        index > 0 && (tokens[index - 1].IsPunctuator(".") || tokens[index - 1].IsPunctuator("->"));

    internal static bool StartsWithAny(string name, params string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            // The first-character test keeps the common miss cheap: prefix rules run over every distinct identifier.
            if (name.Length >= prefix.Length && name[0] == prefix[0] && name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
