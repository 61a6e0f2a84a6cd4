using System.Collections.Frozen;

namespace KernelForge.Evaluation.Validation;

/// <summary>Building blocks for the Python rules of <see cref="StaticRuleTable"/>: matchers over tokens and resolved references.</summary>
internal static partial class PythonPatterns
{
    // Dunder names a ModelNew file has honest uses for; any other (__dict__, __globals__, __subclasses__, __builtins__,
    // __import__, __code__, __getattribute__ …) is a way around the name rules.
    private static readonly FrozenSet<string> AllowedDunders = FrozenSet.Create(StringComparer.Ordinal,
        "__init__", "__name__", "__main__", "__file__", "__call__", "__repr__", "__str__", "__future__", "__all__", "__version__");

    /// <summary>References (imports included) to any of <paramref name="modules"/> or to a name under one.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Modules(params string[] modules) =>
        References(reference => IsUnder(reference.Name, modules));

    /// <summary>Uses of names under <paramref name="modules"/>, not counting a plain <c>import module</c>.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> ModuleUses(params string[] modules) =>
        References(reference => IsUnder(reference.Name, modules) && !(reference.IsImport && modules.Contains(reference.Name)));

    /// <summary>References that <paramref name="matches"/> accepts; each matches with its resolved name.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> References(Func<PythonReference, bool> matches) =>
        source => source.References.Where(matches).Select(reference => new RuleMatch(reference.Line, reference.Name));

    /// <summary>Identifiers spelled as one of <paramref name="names"/>, anywhere but after a <c>.</c> or as the name a <c>def</c>/<c>class</c> defines.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Names(params string[] names) =>
        source => CudaPatterns.Occurrences(source, names).Where(i => !IsAttributeOrDefinition(source.Tokens, i))
            .Select(i => new RuleMatch(source.Tokens[i].Line, source.Tokens[i].Text));

    /// <summary>Calls <c>name(</c> of a bare name (not a method, not a definition), for one of <paramref name="names"/>.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> Calls(params string[] names) =>
        source => CudaPatterns.Occurrences(source, names)
            .Where(i => !IsAttributeOrDefinition(source.Tokens, i) && CudaPatterns.At(source.Tokens, i + 1).IsPunctuator("("))
            .Select(i => new RuleMatch(source.Tokens[i].Line, source.Tokens[i].Text + "("));

    /// <summary>Method calls <c>.name(</c> on anything, for one of <paramref name="names"/>.</summary>
    public static Func<ScannedSource, IEnumerable<RuleMatch>> MethodCalls(params string[] names) =>
        source => CudaPatterns.Occurrences(source, names)
            .Where(i => i > 0 && source.Tokens[i - 1].IsPunctuator(".") && CudaPatterns.At(source.Tokens, i + 1).IsPunctuator("("))
            .Select(i => new RuleMatch(source.Tokens[i].Line, "." + source.Tokens[i].Text + "("));

    /// <summary>Assignments to (or <c>del</c> of) an attribute of a module: monkeypatching <c>torch.cuda.Event</c>, <c>time.perf_counter</c>.</summary>
    public static IEnumerable<RuleMatch> ModuleAttributeAssignments(ScannedSource source) =>
        source.References
            .Where(reference => reference.IsAssignment && reference.RootIsModule && reference.Name.Contains('.', StringComparison.Ordinal))
            .Select(reference => new RuleMatch(reference.Line, reference.Name + " ="));

    /// <summary><c>getattr</c>/<c>setattr</c>/<c>delattr</c> on anything but <c>self</c>: names spelled at run time.</summary>
    public static IEnumerable<RuleMatch> AttributeFunctionsOutsideSelf(ScannedSource source)
    {
        var tokens = source.Tokens;
        foreach (var i in CudaPatterns.Occurrences(source, ["getattr", "setattr", "delattr"]).Where(i => !IsAttributeOrDefinition(tokens, i)))
        {
            var onSelf = CudaPatterns.At(tokens, i + 1).IsPunctuator("(") && CudaPatterns.At(tokens, i + 2).IsName("self")
                && (CudaPatterns.At(tokens, i + 3).IsPunctuator(",") || CudaPatterns.At(tokens, i + 3).IsPunctuator("."));
            if (!onSelf)
            {
                yield return new RuleMatch(tokens[i].Line, tokens[i].Text);
            }
        }
    }

    /// <summary>Dunder names outside <see cref="AllowedDunders"/>.</summary>
    public static IEnumerable<RuleMatch> Dunders(ScannedSource source) =>
        CudaPatterns.Occurrences(source, source.TextIndex.Keys.Where(name => name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal)
                && name.EndsWith("__", StringComparison.Ordinal) && !AllowedDunders.Contains(name)))
            .Select(i => new RuleMatch(source.Tokens[i].Line, source.Tokens[i].Text));

    internal static bool IsUnder(string name, IEnumerable<string> modules)
    {
        foreach (var module in modules)
        {
            if (name == module || (name.Length > module.Length && name.StartsWith(module, StringComparison.Ordinal) && name[module.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAttributeOrDefinition(IReadOnlyList<SourceToken> tokens, int i) =>
        i > 0 && (tokens[i - 1].IsPunctuator(".") || tokens[i - 1].IsName("def") || tokens[i - 1].IsName("class"));
}
