namespace KernelForge.Evaluation.Validation;

/// <summary>A candidate source after scanning: what the static rules match against.</summary>
/// <remarks>
/// For CUDA only <see cref="Tokens"/> is filled. For Python, <see cref="References"/> holds every dotted name resolved
/// through the imports, <see cref="ComputeBodies"/> the lines of every function that can run at call time (all but
/// <c>__init__</c>, <c>get_inputs</c> and <c>get_init_inputs</c>), and <see cref="EmbeddedCuda"/> the C++ found in
/// string literals (the <c>cuda_sources</c> of <c>load_inline</c>), scanned with line numbers of the Python file.
/// The indexes (<see cref="TextIndex"/>, <see cref="LiteralIndices"/>) are built from <see cref="Tokens"/> at
/// construction: scan again rather than replace <see cref="Tokens"/> with <c>with</c>.
/// </remarks>
public sealed record ScannedSource(
    SourceLanguage Language,
    IReadOnlyList<SourceToken> Tokens,
    IReadOnlyList<PythonReference> References,
    IReadOnlyList<LineRange> ComputeBodies,
    IReadOnlyList<ScannedSource> EmbeddedCuda)
{
    /// <summary>
    /// Token indices of every identifier and punctuator, by spelling, in source order: rules look names up here
    /// instead of walking every token (the checker's budget is a few milliseconds per candidate).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> TextIndex { get; } = IndexText(Tokens);

    /// <summary>Token indices of every string literal and included file name, in source order.</summary>
    public IReadOnlyList<int> LiteralIndices { get; } = IndexLiterals(Tokens);

    /// <summary>
    /// Lines holding a trigraph (<c>??/</c>, <c>??=</c> …), in CUDA sources: C++17 reads them as plain characters, ISO
    /// C++14 modes as <c>\</c>, <c>#</c> …, so such code means different things to different compilers.
    /// </summary>
    public IReadOnlyList<int> TrigraphLines { get; init; } = [];

    /// <summary>A scanned CUDA source: tokens and trigraph lines, no Python parts.</summary>
    public static ScannedSource Cuda(IReadOnlyList<SourceToken> tokens, IReadOnlyList<int> trigraphLines) =>
        new(SourceLanguage.Cuda, tokens, [], [], []) { TrigraphLines = trigraphLines };

    private static Dictionary<string, IReadOnlyList<int>> IndexText(IReadOnlyList<SourceToken> tokens)
    {
        var lists = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind is SourceTokenKind.Identifier or SourceTokenKind.Punctuator)
            {
                if (!lists.TryGetValue(tokens[i].Text, out var list))
                {
                    lists[tokens[i].Text] = list = [];
                }

                list.Add(i);
            }
        }

        return lists.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<int>)pair.Value.ToArray(), StringComparer.Ordinal);
    }

    private static int[] IndexLiterals(IReadOnlyList<SourceToken> tokens)
    {
        var indices = new List<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind is SourceTokenKind.StringLiteral or SourceTokenKind.HeaderName)
            {
                indices.Add(i);
            }
        }

        return [.. indices];
    }
}
