using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Writes CUDA C++ a line at a time with four-space indentation and <c>\n</c> line ends.</summary>
/// <remarks>
/// Interpolated lines format through <see cref="LineHandler"/>: numbers in invariant culture and <c>float</c>s as
/// <see cref="CudaLiteral"/>s, so no emitted text depends on the machine's culture.
/// </remarks>
public sealed class CudaWriter
{
    private const int IndentSize = 4;

    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>An empty line.</summary>
    public void Line() => _text.Append('\n');

    public void Line(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0)
        {
            _text.Append(' ', _depth * IndentSize).Append(text);
        }

        _text.Append('\n');
    }

    public void Line([InterpolatedStringHandlerArgument] ref LineHandler text) => Line(text.ToStringAndClear());

    /// <summary>A preprocessor line (<c>#pragma unroll</c>), at column 0 as the hand-written kernels have them.</summary>
    public void Directive(string text) => _text.Append(text).Append('\n');

    /// <summary>Writes <c>header {</c> and indents until <see cref="Close"/>.</summary>
    public void Open(string header)
    {
        Line(header + " {");
        _depth++;
    }

    public void Open([InterpolatedStringHandlerArgument] ref LineHandler header) => Open(header.ToStringAndClear());

    /// <summary>Ends the innermost <c>Open</c>: <c>}</c> followed by <paramref name="trailer"/> (e.g. <c>  // namespace</c>).</summary>
    public void Close(string trailer = "")
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Close() without a matching Open().");
        }

        _depth--;
        Line("}" + trailer);
    }

    /// <summary>Ends an <c>if</c> block and opens its <c>else</c>: <c>} else {</c>.</summary>
    public void Else()
    {
        Close(" else {");
        _depth++;
    }

    /// <summary>Appends text another writer produced, indented to this writer's level.</summary>
    public void Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        foreach (var line in text.EndsWith('\n') ? lines[..^1] : lines)
        {
            if (line.StartsWith('#'))
            {
                Directive(line);
            }
            else
            {
                Line(line);
            }
        }
    }

    /// <summary>Characters written so far; a mark for <see cref="TextFrom"/> and <see cref="Truncate"/>.</summary>
    public int Length => _text.Length;

    /// <summary>The text written since <paramref name="mark"/> (a <see cref="Length"/> taken earlier).</summary>
    public string TextFrom(int mark) => _text.ToString(mark, _text.Length - mark);

    /// <summary>Drops the text written since <paramref name="mark"/>; only between complete blocks.</summary>
    public void Truncate(int mark)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mark, _text.Length);
        _text.Length = mark;
    }

    public override string ToString() => _depth == 0 ? _text.ToString() : throw new InvalidOperationException(Invariant($"{_depth} block(s) left open."));

    /// <summary>Formats interpolated lines in invariant culture, with <c>float</c> holes as CUDA literals.</summary>
    [InterpolatedStringHandler]
    public ref struct LineHandler
    {
        private DefaultInterpolatedStringHandler _inner;

        public LineHandler(int literalLength, int formattedCount) =>
            _inner = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);

        public void AppendLiteral(string value) => _inner.AppendLiteral(value);

        public void AppendFormatted(float value) => _inner.AppendLiteral(CudaLiteral.Format(value));

        public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

        public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

        public string ToStringAndClear() => _inner.ToStringAndClear();
    }
}
