namespace KernelForge.Evaluation.Validation;

public static partial class CudaSourceScanner
{
    private static readonly HashSet<string> StringPrefixes = ["L", "u", "U", "u8", "R", "LR", "uR", "UR", "u8R"];
    private static readonly HashSet<string> CharPrefixes = ["L", "u", "U", "u8"];
    private static readonly HashSet<string> HeaderDirectives = ["include", "include_next", "import", "embed"];

    // ASCII lookup tables: the identifier loop is the scanner's hottest path.
    private static readonly bool[] IdentifierStartAscii = [.. Enumerable.Range(0, 128).Select(ch => char.IsAsciiLetter((char)ch) || ch is '_' or '$')];
    private static readonly bool[] IdentifierPartAscii = [.. Enumerable.Range(0, 128).Select(ch => char.IsAsciiLetterOrDigit((char)ch) || ch is '_' or '$')];

    // Punctuators longer than one character that rules look at (digraphs included, read as what they stand for);
    // everything else is one character per token.
    private static readonly string[] LongPunctuators = ["<<<", ">>>", "::", "->", "##", "%:%:", "%:", "<%", "%>", "<:", ":>"];

    private sealed class Lexer(SplicedText text, EraseMarks? erased)
    {
        private readonly char[] _c = text.Chars;
        private readonly int _n = text.Length;
        private readonly List<SourceToken> _tokens = [];
        private int _i;
        private bool _lineStart = true;
        private string? _directive;
        private bool _expectDirectiveName;
        private int _lineStartIndex;
        private int _contentEnd;

        public List<SourceToken> Run()
        {
            while (_i < _n)
            {
                var ch = _c[_i];
                if (ch == '\n')
                {
                    _lineStart = true;
                    _directive = null;
                    _expectDirectiveName = false;
                    _i++;
                    _lineStartIndex = _i;
                }
                else if (ch == ' ' || ch == '\t' || char.IsWhiteSpace(ch))
                {
                    _i++;
                }
                else if (ch == '/' && Peek(1) == '/')
                {
                    var start = _i;
                    while (_i < _n && _c[_i] != '\n')
                    {
                        _i++;
                    }

                    erased?.Mark(text, start, _i, comment: true);
                }
                else if (ch == '/' && Peek(1) == '*')
                {
                    var start = _i;
                    _i += 2;
                    while (_i < _n && !(_c[_i] == '*' && Peek(1) == '/'))
                    {
                        _i++;
                    }

                    _i = Math.Min(_i + 2, _n);
                    erased?.Mark(text, start, _i, comment: true);
                }
                else
                {
                    ReadToken();
                }
            }

            return _tokens;
        }

        private char Peek(int ahead) => _i + ahead < _n ? _c[_i + ahead] : '\0';

        private void ReadToken()
        {
            var startsLine = _lineStart;
            _lineStart = false;
            var start = _i;
            var ch = _c[_i];
            if (IsIdentifierStart(ch))
            {
                while (_i < _n && IsIdentifierPart(_c[_i]))
                {
                    _i++;
                }

                var name = Slice(start, _i);
                if (Peek(0) == '"' && StringPrefixes.Contains(name))
                {
                    ReadString(start, name, startsLine);
                }
                else if (Peek(0) == '\'' && CharPrefixes.Contains(name))
                {
                    ReadChar(start, name, startsLine);
                }
                else if (_expectDirectiveName)
                {
                    _expectDirectiveName = false;
                    _directive = name;
                    _tokens[^1] = _tokens[^1] with { Directive = name };
                    Add(SourceTokenKind.Identifier, name, start, startsLine);
                    if (HeaderDirectives.Contains(name))
                    {
                        ReadHeaderName();
                    }
                }
                else
                {
                    Add(SourceTokenKind.Identifier, name, start, startsLine);
                }
            }
            else if (char.IsAsciiDigit(ch) || (ch == '.' && char.IsAsciiDigit(Peek(1))))
            {
                ReadNumber(start, startsLine);
            }
            else if (ch == '"')
            {
                ReadString(start, prefix: "", startsLine);
            }
            else if (ch == '\'')
            {
                ReadChar(start, prefix: "", startsLine);
            }
            else
            {
                ReadPunctuator(start, startsLine);
            }
        }

        private void ReadPunctuator(int start, bool startsLine)
        {
            string? punctuator = null;
            foreach (var candidate in LongPunctuators)
            {
                if (Matches(candidate))
                {
                    punctuator = candidate;
                    break;
                }
            }

            // C++11 [lex.pptoken]: "<::" not followed by ':' or '>' is "<" then "::" (std::vector<::T>), not a digraph.
            if (punctuator == "<:" && Peek(2) == ':' && Peek(3) is not (':' or '>'))
            {
                punctuator = null;
            }

            punctuator ??= _c[_i].ToString();
            _i += punctuator.Length;
            punctuator = punctuator switch
            {
                "%:" => "#",
                "%:%:" => "##",
                "<%" => "{",
                "%>" => "}",
                "<:" => "[",
                ":>" => "]",
                _ => punctuator,
            };
            if (punctuator == "#" && startsLine)
            {
                _directive = "";
                _expectDirectiveName = true;
            }

            Add(SourceTokenKind.Punctuator, punctuator, start, startsLine);
        }

        private bool Matches(string punctuator)
        {
            for (var k = 0; k < punctuator.Length; k++)
            {
                if (Peek(k) != punctuator[k])
                {
                    return false;
                }
            }

            return true;
        }

        private void ReadNumber(int start, bool startsLine)
        {
            while (_i < _n)
            {
                var ch = _c[_i];
                if (char.IsAsciiLetterOrDigit(ch) || ch == '_' || ch == '.')
                {
                    _i++;
                }
                else if (ch == '\'' && char.IsAsciiLetterOrDigit(Peek(1)))
                {
                    _i += 2;
                }
                else if ((ch == '+' || ch == '-') && _c[_i - 1] is 'e' or 'E' or 'p' or 'P')
                {
                    _i++;
                }
                else
                {
                    break;
                }
            }

            Add(SourceTokenKind.Number, Slice(start, _i), start, startsLine);
        }

        // After #include: <name> or "name" is one HeaderName token; anything else (a macro) is left to the lexer.
        private void ReadHeaderName()
        {
            while (_i < _n && _c[_i] is ' ' or '\t')
            {
                _i++;
            }

            if (_i >= _n || _c[_i] is not ('<' or '"'))
            {
                return;
            }

            var close = _c[_i] == '<' ? '>' : '"';
            var start = _i++;
            while (_i < _n && _c[_i] != close && _c[_i] != '\n')
            {
                _i++;
            }

            var name = Slice(start + 1, _i);
            if (_i < _n && _c[_i] == close)
            {
                _i++;
            }

            Add(SourceTokenKind.HeaderName, name, start, startsLine: false, value: name);
        }

        private void ReadString(int start, string prefix, bool startsLine)
        {
            if (prefix.EndsWith('R'))
            {
                ReadRawString(start, prefix, startsLine);
                return;
            }

            _i++;
            var contentStart = _i;
            var value = ReadEscaped('"');
            erased?.Mark(text, contentStart, _contentEnd, comment: false);
            Add(SourceTokenKind.StringLiteral, prefix + "\"\"", start, startsLine, value);
        }

        private void ReadChar(int start, string prefix, bool startsLine)
        {
            _i++;
            var contentStart = _i;
            var value = ReadEscaped('\'');
            erased?.Mark(text, contentStart, _contentEnd, comment: false);
            Add(SourceTokenKind.CharLiteral, prefix + "''", start, startsLine, value);
        }

        // Reads up to and past the closing quote (or up to the end of the line), decoding escapes.
        private string ReadEscaped(char quote)
        {
            var value = new System.Text.StringBuilder();
            while (_i < _n && _c[_i] != quote && _c[_i] != '\n')
            {
                if (_c[_i] == '\\' && _i + 1 < _n)
                {
                    _i++;
                    value.Append(ReadEscape());
                }
                else
                {
                    value.Append(_c[_i++]);
                }
            }

            _contentEnd = _i;
            if (_i < _n && _c[_i] == quote)
            {
                _i++;
            }

            return value.ToString();
        }

        // _i is on the character after the backslash.
        private string ReadEscape()
        {
            var ch = _c[_i++];
            switch (ch)
            {
                case 'n': return "\n";
                case 't': return "\t";
                case 'r': return "\r";
                case 'a': return "\a";
                case 'b': return "\b";
                case 'f': return "\f";
                case 'v': return "\v";
                case 'e': return "\u001b";
                case 'x': return CodePoint(ReadDigits(16, int.MaxValue), 16);
                case 'u': return CodePoint(ReadDigits(16, 4), 16);
                case 'U': return CodePoint(ReadDigits(16, 8), 16);
                case >= '0' and <= '7':
                    _i--;
                    return CodePoint(ReadDigits(8, 3), 8);
                default: return ch.ToString();
            }
        }

        private string ReadDigits(int radix, int maxCount)
        {
            var start = _i;
            while (_i < _n && _i - start < maxCount && (radix == 16 ? char.IsAsciiHexDigit(_c[_i]) : _c[_i] is >= '0' and <= '7'))
            {
                _i++;
            }

            return Slice(start, _i);
        }

        private static string CodePoint(string digits, int radix)
        {
            if (digits.Length == 0)
            {
                return "";
            }

            var value = Convert.ToInt64(digits.Length > 15 ? digits[^15..] : digits, radix);
            return value is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32((int)value) : "\uFFFD";
        }

        // R"delim( ... )delim": contents are taken as written.
        private void ReadRawString(int start, string prefix, bool startsLine)
        {
            _i++;
            var delimiterStart = _i;
            while (_i < _n && _c[_i] != '(' && _c[_i] != '\n' && _i - delimiterStart <= 16)
            {
                _i++;
            }

            var terminator = ")" + Slice(delimiterStart, _i) + "\"";
            var contentStart = Math.Min(_i + 1, _n);
            _i = contentStart;
            while (_i < _n && !Matches(terminator))
            {
                _i++;
            }

            var value = Slice(contentStart, _i);
            erased?.Mark(text, contentStart, _i, comment: false);
            _i = Math.Min(_i + terminator.Length, _n);
            Add(SourceTokenKind.StringLiteral, prefix + "\"\"", start, startsLine, value);
        }

        private void Add(SourceTokenKind kind, string tokenText, int start, bool startsLine, string? value = null)
        {
            _tokens.Add(new SourceToken(kind, tokenText, text.Lines[start], start - _lineStartIndex + 1, value, _directive, startsLine));
        }

        private string Slice(int start, int end) => new(_c, start, end - start);

        private static bool IsIdentifierStart(char ch) => ch < 128 ? IdentifierStartAscii[ch] : char.IsLetter(ch);

        private static bool IsIdentifierPart(char ch) => ch < 128 ? IdentifierPartAscii[ch] : char.IsLetter(ch);
    }
}
