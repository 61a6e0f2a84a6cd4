using System.Collections.Frozen;

namespace KernelForge.Evaluation.Validation;

/// <summary>Decodes the Python <c>\N{NAME}</c> escapes that can spell a path or a name: letters, digits and common punctuation.</summary>
/// <remarks>.NET has no Unicode name table; a name outside this small set decodes to U+FFFD, which matches nothing.</remarks>
internal static class UnicodeName
{
    private static readonly FrozenDictionary<string, string> Punctuation = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SOLIDUS"] = "/",
        ["REVERSE SOLIDUS"] = "\\",
        ["FULL STOP"] = ".",
        ["LOW LINE"] = "_",
        ["HYPHEN-MINUS"] = "-",
        ["SPACE"] = " ",
        ["COLON"] = ":",
        ["SEMICOLON"] = ";",
        ["LEFT PARENTHESIS"] = "(",
        ["RIGHT PARENTHESIS"] = ")",
        ["QUOTATION MARK"] = "\"",
        ["APOSTROPHE"] = "'",
        ["NUMBER SIGN"] = "#",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] Digits = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"];

    public static string Decode(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        if (Punctuation.TryGetValue(upper, out var text))
        {
            return text;
        }

        const string Small = "LATIN SMALL LETTER ", Capital = "LATIN CAPITAL LETTER ", Digit = "DIGIT ";
        if (upper.StartsWith(Small, StringComparison.Ordinal) && upper.Length == Small.Length + 1)
        {
            return char.ToLowerInvariant(upper[^1]).ToString();
        }

        if (upper.StartsWith(Capital, StringComparison.Ordinal) && upper.Length == Capital.Length + 1)
        {
            return upper[^1].ToString();
        }

        if (upper.StartsWith(Digit, StringComparison.Ordinal) && Array.IndexOf(Digits, upper[Digit.Length..]) is >= 0 and var digit)
        {
            return digit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "\uFFFD";
    }
}
