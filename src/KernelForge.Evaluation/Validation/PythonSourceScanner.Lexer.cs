using System.Text;

namespace KernelForge.Evaluation.Validation;

public static partial class PythonSourceScanner
{
    private static readonly HashSet<string> StringPrefixes = ["r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt"];

    private static readonly string[] Operators =
        ["**=", "//=", ">>=", "<<=", "...", "==", "!=", "<=", ">=", "->", "**", "//", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":="];

    // A string token's decoded contents with the source line of each character: what embedded C++ is scanned from.
    private sealed record LiteralText(string Value, int[] Lines);

    // A nested lexer reads one f-string replacement field: its tokens start no logical line.
    private sealed class Lexer(string source, int firstLine, Dictionary<int, LiteralText> literals, List<SourceToken> tokens, bool nested = false)
    {
        private readonly List<SourceToken> _fieldTokens = [];
        private int _i;
        private int _line = firstLine;
        private int _lineStartIndex;
        private int _depth;
        private bool _logicalLineStart = !nested;

        // Tokens in source order; the tokens of f-string replacement fields follow at the end.
        public void Run()
        {
            while (_i < source.Length)
            {
                var ch = source[_i];
                if (ch == '\n')
                {
                    NewLine();
                    _logicalLineStart |= _depth == 0;
                }
                else if (ch == '\\' && (Peek(1) == '\n' || (Peek(1) == '\r' && Peek(2) == '\n')))
                {
                    _i += Peek(1) == '\r' ? 2 : 1;
                    NewLine();
                }
                else if (char.IsWhiteSpace(ch))
                {
                    _i++;
                }
                else if (ch == '#')
                {
                    while (_i < source.Length && source[_i] != '\n')
                    {
                        _i++;
                    }
                }
                else
                {
                    var startsLine = _logicalLineStart;
                    _logicalLineStart = false;
                    ReadToken(startsLine);
                }
            }

            tokens.AddRange(_fieldTokens);
        }

        private char Peek(int ahead) => _i + ahead < source.Length ? source[_i + ahead] : '\0';

        private void NewLine()
        {
            _i++;
            _line++;
            _lineStartIndex = _i;
        }

        private void ReadToken(bool startsLine)
        {
            var start = _i;
            var column = _i - _lineStartIndex + 1;
            var ch = source[_i];
            if (char.IsLetter(ch) || ch == '_')
            {
                while (_i < source.Length && (char.IsLetterOrDigit(source[_i]) || source[_i] == '_'))
                {
                    _i++;
                }

                var name = source[start.._i];
                if (Peek(0) is '"' or '\'' && StringPrefixes.Contains(name.ToLowerInvariant()))
                {
                    ReadString(name, column, startsLine);
                    return;
                }

                // Python compares identifiers after NFKC normalization: a full-width "ｅｖａｌ" is eval.
                var normalized = System.Text.Ascii.IsValid(name) ? name : name.Normalize(NormalizationForm.FormKC);
                Add(SourceTokenKind.Identifier, normalized, column, startsLine);
            }
            else if (char.IsAsciiDigit(ch) || (ch == '.' && char.IsAsciiDigit(Peek(1))))
            {
                while (_i < source.Length && (char.IsAsciiLetterOrDigit(source[_i]) || source[_i] is '_' or '.'
                    || (source[_i] is '+' or '-' && source[_i - 1] is 'e' or 'E')))
                {
                    _i++;
                }

                Add(SourceTokenKind.Number, source[start.._i], column, startsLine);
            }
            else if (ch is '"' or '\'')
            {
                ReadString("", column, startsLine);
            }
            else
            {
                string? op = null;
                foreach (var candidate in Operators)
                {
                    if (string.CompareOrdinal(source, _i, candidate, 0, candidate.Length) == 0)
                    {
                        op = candidate;
                        break;
                    }
                }

                op ??= ch.ToString();
                _i += op.Length;
                _depth = op switch
                {
                    "(" or "[" or "{" => _depth + 1,
                    ")" or "]" or "}" => Math.Max(0, _depth - 1),
                    _ => _depth,
                };
                Add(SourceTokenKind.Punctuator, op, column, startsLine);
            }
        }

        private void ReadString(string prefix, int column, bool startsLine)
        {
            var line = _line;
            var lower = prefix.ToLowerInvariant();
            var raw = lower.Contains('r', StringComparison.Ordinal);
            var formatted = lower.Contains('f', StringComparison.Ordinal) || lower.Contains('t', StringComparison.Ordinal);
            var quote = source[_i];
            var triple = Peek(1) == quote && Peek(2) == quote;
            _i += triple ? 3 : 1;
            var value = new StringBuilder();
            var lines = new List<int>();
            void Append(string text)
            {
                value.Append(text);
                for (var k = 0; k < text.Length; k++)
                {
                    lines.Add(_line);
                }
            }

            void AppendChar(char character)
            {
                value.Append(character);
                lines.Add(_line);
            }

            while (_i < source.Length)
            {
                var ch = source[_i];
                if (ch == quote && (!triple || (Peek(1) == quote && Peek(2) == quote)))
                {
                    _i += triple ? 3 : 1;
                    break;
                }

                if (ch == '\n' && !triple)
                {
                    break;
                }

                if (ch == '\n')
                {
                    AppendChar('\n');
                    NewLine();
                }
                else if (ch == '\\' && raw)
                {
                    AppendChar('\\');
                    _i++;
                    if (_i < source.Length && source[_i] != '\n')
                    {
                        AppendChar(source[_i]);
                        _i++;
                    }
                }
                else if (ch == '\\')
                {
                    _i++;
                    if (Peek(0) == '\n')
                    {
                        NewLine();
                    }
                    else
                    {
                        Append(ReadEscape());
                    }
                }
                else if (formatted && ch is '{' or '}' && Peek(1) == ch)
                {
                    AppendChar(ch);
                    _i += 2;
                }
                else if (formatted && ch == '{')
                {
                    var fieldLine = _line;
                    var field = ReadField(quote);
                    Append("{" + field + "}");
                    new Lexer(field, fieldLine, [], _fieldTokens, nested: true).Run();
                }
                else
                {
                    AppendChar(ch);
                    _i++;
                }
            }

            literals[tokens.Count] = new LiteralText(value.ToString(), [.. lines]);
            Add(SourceTokenKind.StringLiteral, prefix + (triple ? new string(quote, 6) : new string(quote, 2)), column, startsLine, value.ToString(), line);
        }

        // An f-string replacement field, from after its '{' to before its matching '}'; nested brackets and strings kept.
        private string ReadField(char quote)
        {
            _i++;
            var start = _i;
            var depth = 0;
            while (_i < source.Length)
            {
                var ch = source[_i];
                if (ch == '}' && depth == 0)
                {
                    break;
                }

                if (ch == '\n')
                {
                    _line++;
                    _lineStartIndex = _i + 1;
                }
                else if (ch is '{' or '(' or '[')
                {
                    depth++;
                }
                else if (ch is '}' or ')' or ']')
                {
                    depth--;
                }
                else if (ch is '"' or '\'' && ch != quote)
                {
                    var close = source.IndexOf(ch, _i + 1);
                    _i = close < 0 ? source.Length - 1 : close;
                }

                _i++;
            }

            var field = source[start..Math.Min(_i, source.Length)];
            _i = Math.Min(_i + 1, source.Length);
            return field;
        }

        // _i is on the character after the backslash.
        private string ReadEscape()
        {
            var ch = source[_i++];
            return ch switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                'a' => "\a",
                'b' => "\b",
                'f' => "\f",
                'v' => "\v",
                'x' => CodePoint(ReadDigits(16, 2), 16),
                'u' => CodePoint(ReadDigits(16, 4), 16),
                'U' => CodePoint(ReadDigits(16, 8), 16),
                'N' => UnicodeName.Decode(ReadName()),
                >= '0' and <= '7' => CodePoint(ch + ReadDigits(8, 2), 8),
                _ => "\\" + ch,
            };
        }

        private string ReadDigits(int radix, int maxCount)
        {
            var start = _i;
            while (_i < source.Length && _i - start < maxCount && (radix == 16 ? char.IsAsciiHexDigit(source[_i]) : source[_i] is >= '0' and <= '7'))
            {
                _i++;
            }

            return source[start.._i];
        }

        private string ReadName()
        {
            if (Peek(0) != '{')
            {
                return "";
            }

            var close = source.IndexOf('}', _i);
            if (close < 0)
            {
                return "";
            }

            var name = source[(_i + 1)..close];
            _i = close + 1;
            return name;
        }

        private static string CodePoint(string digits, int radix)
        {
            if (digits.Length == 0)
            {
                return "";
            }

            var value = Convert.ToInt32(digits, radix);
            return value is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(value) : "\uFFFD";
        }

        private void Add(SourceTokenKind kind, string text, int column, bool startsLine, string? value = null, int? line = null) =>
            tokens.Add(new SourceToken(kind, text, line ?? _line, column, value, Directive: null, startsLine));
    }
}
