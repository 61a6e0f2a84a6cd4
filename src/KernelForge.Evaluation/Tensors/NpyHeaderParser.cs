using System.Globalization;

namespace KernelForge.Evaluation.Tensors;

/// <summary>
/// Parses the Python dict literal of an <c>.npy</c> header: string keys; values that are strings, <c>True</c>/<c>False</c>
/// or tuples of integers. That is all numpy.save writes; anything else is refused rather than guessed at.
/// </summary>
internal static class NpyHeaderParser
{
    /// <summary>Values are <see cref="string"/>, <see cref="bool"/> or <see cref="IReadOnlyList{T}"/> of <see cref="long"/>.</summary>
    public static Dictionary<string, object> ParseDictionary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = 0;
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        Expect(text, ref position, '{');
        while (true)
        {
            SkipSpace(text, ref position);
            if (Peek(text, position) == '}')
            {
                position++;
                break;
            }

            var key = ParseString(text, ref position);
            Expect(text, ref position, ':');
            fields[key] = ParseValue(text, ref position);
            SkipSpace(text, ref position);
            if (Peek(text, position) == ',')
            {
                position++;
            }
            else if (Peek(text, position) != '}')
            {
                throw Malformed(text, position, "',' or '}'");
            }
        }

        SkipSpace(text, ref position);
        if (position != text.Length)
        {
            throw Malformed(text, position, "the end of the header");
        }

        return fields;
    }

    private static object ParseValue(string text, ref int position)
    {
        SkipSpace(text, ref position);
        var next = Peek(text, position);
        if (next is '\'' or '"')
        {
            return ParseString(text, ref position);
        }

        if (next == '(')
        {
            return ParseTuple(text, ref position);
        }

        if (string.CompareOrdinal(text, position, "True", 0, 4) == 0)
        {
            position += 4;
            return true;
        }

        if (string.CompareOrdinal(text, position, "False", 0, 5) == 0)
        {
            position += 5;
            return false;
        }

        throw Malformed(text, position, "a string, True, False or a tuple");
    }

    private static List<long> ParseTuple(string text, ref int position)
    {
        Expect(text, ref position, '(');
        var items = new List<long>();
        while (true)
        {
            SkipSpace(text, ref position);
            if (Peek(text, position) == ')')
            {
                position++;
                return items;
            }

            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            if (position == start || !long.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var extent))
            {
                throw Malformed(text, start, "a non-negative integer extent");
            }

            // Python 2 era files wrote long integers with an 'L' suffix: (2L, 3L).
            if (Peek(text, position) == 'L')
            {
                position++;
            }

            items.Add(extent);
            SkipSpace(text, ref position);
            if (Peek(text, position) == ',')
            {
                position++;
            }
            else if (Peek(text, position) != ')')
            {
                throw Malformed(text, position, "',' or ')'");
            }
        }
    }

    private static string ParseString(string text, ref int position)
    {
        SkipSpace(text, ref position);
        var quote = Peek(text, position);
        if (quote is not ('\'' or '"'))
        {
            throw Malformed(text, position, "a quoted string");
        }

        var end = text.IndexOf(quote, position + 1);
        if (end < 0)
        {
            throw Malformed(text, position, "a closing quote");
        }

        var value = text[(position + 1)..end];
        position = end + 1;
        return value;
    }

    private static void Expect(string text, ref int position, char expected)
    {
        SkipSpace(text, ref position);
        if (Peek(text, position) != expected)
        {
            throw Malformed(text, position, $"'{expected}'");
        }

        position++;
    }

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private static char Peek(string text, int position) => position < text.Length ? text[position] : '\0';

    private static InvalidDataException Malformed(string text, int position, string expected) =>
        new($"Malformed .npy header: expected {expected} at character {position.ToString(CultureInfo.InvariantCulture)} of: {text.Trim()}");
}
