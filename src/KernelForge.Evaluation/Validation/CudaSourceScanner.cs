namespace KernelForge.Evaluation.Validation;

/// <summary>
/// Splits CUDA C++ into tokens with their lines, so that static rules match code and not comments or string contents.
/// </summary>
/// <remarks>
/// Follows the translation phases that matter for evasion: backslash-newline continuations are spliced first (so
/// <c>cudaDevice\⏎Synchronize</c> is one identifier, and a <c>//</c> comment ending in <c>\</c> swallows the next
/// line), comments become nothing, string and character literals become one token whose contents are decoded into
/// <see cref="SourceToken.Value"/> (so <c>"\x2fproc"</c> reads <c>/proc</c>), raw strings <c>R"d(…)d"</c> included.
/// Preprocessor lines (including the <c>%:</c> digraph) are tokenized like code, so <c>#define</c> bodies are
/// checked, and their tokens carry the directive's name. Token pasting (<c>##</c>) is not expanded. Trigraphs are
/// read as C++17 reads them (as plain characters), and their lines are recorded in <see cref="ScannedSource.TrigraphLines"/>.
/// Pure, and linear in the source length.
/// </remarks>
public static partial class CudaSourceScanner
{
    /// <summary>Tokens of <paramref name="source"/>, lines counted from 1.</summary>
    public static ScannedSource Scan(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var spliced = Splice(source, withOffsets: false);
        return ScannedSource.Cuda(new Lexer(spliced, erased: null).Run(), spliced.TrigraphLines);
    }

    /// <summary>
    /// <paramref name="source"/> with comments replaced by a space and the contents of string and character literals
    /// removed (their quotes kept); every newline is kept, so line numbers do not move.
    /// </summary>
    public static string StripCommentsAndLiterals(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var spliced = Splice(source, withOffsets: true);
        var erased = new EraseMarks(source.Length);
        _ = new Lexer(spliced, erased).Run();
        var text = new System.Text.StringBuilder(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            switch (erased.At(i))
            {
                case EraseMark.None:
                    text.Append(source[i]);
                    break;
                case EraseMark.Space:
                    text.Append(' ');
                    break;
                default:
                    if (source[i] == '\n')
                    {
                        text.Append('\n');
                    }

                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>Tokens of text that lies elsewhere (C++ inside Python string literals): each character brings its own line.</summary>
    internal static ScannedSource Scan(char[] characters, int[] lines)
    {
        var spliced = Splice(characters, lines, offsets: null);
        return ScannedSource.Cuda(new Lexer(spliced, erased: null).Run(), spliced.TrigraphLines);
    }

    private static SplicedText Splice(string source, bool withOffsets)
    {
        var lines = new int[source.Length];
        var offsets = withOffsets ? new int[source.Length] : null;
        var line = 1;
        for (var i = 0; i < source.Length; i++)
        {
            lines[i] = line;
            if (offsets is not null)
            {
                offsets[i] = i;
            }

            if (source[i] == '\n')
            {
                line++;
            }
        }

        return Splice(source.ToCharArray(), lines, offsets);
    }

    // Translation phase 2: removes backslash-newline pairs (also backslash-CR-LF), keeping each remaining character's
    // line and offset. Trigraphs are not replaced (C++17 has none); their lines are recorded for the trigraph rule.
    private static SplicedText Splice(char[] characters, int[] lines, int[]? offsets)
    {
        var count = characters.Length;
        var chars = new char[count];
        var charLines = new int[count];
        var charOffsets = offsets is null ? null : new int[count];
        var trigraphLines = new List<int>();
        var length = 0;
        for (var i = 0; i < count; i++)
        {
            var ch = characters[i];
            if (ch == '\\')
            {
                var next = i + 1;
                if (next < count && characters[next] == '\r')
                {
                    next++;
                }

                if (next < count && characters[next] == '\n')
                {
                    i = next;
                    continue;
                }
            }
            else if (ch == '?' && i + 2 < count && characters[i + 1] == '?' && "=/'()!<>-".Contains(characters[i + 2], StringComparison.Ordinal))
            {
                trigraphLines.Add(lines[i]);
            }

            chars[length] = ch == '\r' ? ' ' : ch;
            charLines[length] = lines[i];
            if (charOffsets is not null)
            {
                charOffsets[length] = offsets![i];
            }

            length++;
        }

        return new SplicedText(chars, charLines, charOffsets, length, trigraphLines);
    }

    // The spliced characters are the first Length entries of each array.
    private sealed record SplicedText(char[] Chars, int[] Lines, int[]? Offsets, int Length, List<int> TrigraphLines);

    private enum EraseMark : byte
    {
        None,
        Space,
        Removed,
    }

    // Marks, per character of the original source, what StripCommentsAndLiterals does with it.
    private sealed class EraseMarks(int length)
    {
        private readonly EraseMark[] _marks = new EraseMark[length];

        public EraseMark At(int offset) => _marks[offset];

        public void Mark(SplicedText text, int start, int end, bool comment)
        {
            for (var i = start; i < end; i++)
            {
                var offset = text.Offsets![i];
                _marks[offset] = comment && i == start ? EraseMark.Space : EraseMark.Removed;
            }
        }
    }
}
