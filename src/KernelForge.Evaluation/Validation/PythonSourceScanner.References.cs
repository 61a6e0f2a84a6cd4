namespace KernelForge.Evaluation.Validation;

public static partial class PythonSourceScanner
{
    private static readonly HashSet<string> AssignmentOperators = new(StringComparer.Ordinal)
    {
        "=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", ">>=", "<<=", ":=",
    };

    // Resolves every dotted name through the file's imports (scopes ignored: an import anywhere binds everywhere).
    private sealed class ReferenceResolver(List<SourceToken> tokens)
    {
        private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
        private readonly List<PythonReference> _references = [];
        private readonly HashSet<int> _consumed = [];

        public List<PythonReference> Resolve()
        {
            for (var i = 0; i < tokens.Count; i++)
            {
                if (tokens[i].IsName("import") && StartsStatement(i))
                {
                    ParseImport(i);
                }
                else if (tokens[i].IsName("from") && StartsStatement(i))
                {
                    ParseFromImport(i);
                }
            }

            for (var i = 0; i < tokens.Count; i++)
            {
                var definition = i > 0 && (tokens[i - 1].IsName("def") || tokens[i - 1].IsName("class"));
                if (tokens[i].IsIdentifier && !_consumed.Contains(i) && !definition && !(i > 0 && tokens[i - 1].IsPunctuator(".")))
                {
                    i = AddChain(i);
                }
            }

            return _references;
        }

        private bool StartsStatement(int i) => tokens[i].StartsLine || (i > 0 && (tokens[i - 1].IsPunctuator(";") || tokens[i - 1].IsPunctuator(":")));

        // import a.b [as c], d ...
        private void ParseImport(int i)
        {
            _consumed.Add(i);
            var k = i + 1;
            while (k < tokens.Count)
            {
                var (name, line, next) = DottedName(k);
                if (name.Length == 0)
                {
                    break;
                }

                k = next;
                if (At(k).IsName("as") && At(k + 1).IsIdentifier)
                {
                    _aliases[tokens[k + 1].Text] = name;
                    Consume(k, k + 2);
                    k += 2;
                }
                else
                {
                    var root = name.Split('.')[0];
                    _aliases[root] = root;
                }

                _references.Add(new PythonReference(name, line, IsImport: true, IsCall: false, IsAssignment: false, RootIsModule: true));
                if (!At(k).IsPunctuator(","))
                {
                    break;
                }

                Consume(k, k + 1);
                k++;
            }
        }

        // from [.]a.b import (c [as d], e) | *
        private void ParseFromImport(int i)
        {
            _consumed.Add(i);
            var k = i + 1;
            var dots = "";
            while (At(k).IsPunctuator(".") || At(k).IsPunctuator("..."))
            {
                dots += tokens[k].Text;
                Consume(k, k + 1);
                k++;
            }

            var (module, _, next) = DottedName(k);
            module = dots + module;
            k = next;
            if (!At(k).IsName("import"))
            {
                return;
            }

            Consume(k, k + 1);
            k++;
            var parenthesized = At(k).IsPunctuator("(");
            var expectName = true;
            while (k < tokens.Count)
            {
                var token = At(k);
                if (token.IsPunctuator("(") || token.IsPunctuator(","))
                {
                    expectName = true;
                    Consume(k, k + 1);
                    k++;
                    continue;
                }

                // A name list ends at its line unless parenthesized; a name must follow "import" or a comma.
                if (!expectName || (token.StartsLine && !parenthesized))
                {
                    break;
                }

                if (token.IsPunctuator("*"))
                {
                    Consume(k, k + 1);
                    _references.Add(new PythonReference(module + ".*", token.Line, IsImport: true, IsCall: false, IsAssignment: false, RootIsModule: true));
                    break;
                }

                if (!token.IsIdentifier)
                {
                    break;
                }

                var full = module + "." + token.Text;
                var bound = token.Text;
                Consume(k, k + 1);
                k++;
                if (At(k).IsName("as") && At(k + 1).IsIdentifier)
                {
                    bound = tokens[k + 1].Text;
                    Consume(k, k + 2);
                    k += 2;
                }

                _aliases[bound] = full;
                _references.Add(new PythonReference(full, token.Line, IsImport: true, IsCall: false, IsAssignment: false, RootIsModule: true));
                expectName = false;
            }
        }

        // Records the chain starting at i; returns the index of its last identifier. A plain "name = module.path"
        // (also "self.x = torch.cuda") makes the target an alias of the module path for the rest of the file.
        private int AddChain(int i)
        {
            var (parts, k) = Chain(i);
            var (name, rootIsModule) = ResolveParts(parts);
            var assigned = (At(k).Kind == SourceTokenKind.Punctuator && AssignmentOperators.Contains(At(k).Text) && !At(k).IsPunctuator(":="))
                || (i > 0 && tokens[i - 1].IsName("del"));
            _references.Add(new PythonReference(name, tokens[i].Line, IsImport: false, IsCall: At(k).IsPunctuator("("), assigned, rootIsModule));
            if (At(k).IsPunctuator("=") && At(k + 1).IsIdentifier)
            {
                var (valueParts, end) = Chain(k + 1);
                var (value, valueIsModule) = ResolveParts(valueParts);
                var endsStatement = end >= tokens.Count || tokens[end].StartsLine || tokens[end].IsPunctuator(";");
                if (valueIsModule && endsStatement)
                {
                    _aliases[string.Join('.', parts)] = value;
                }
            }

            return k - 1;
        }

        private (List<string> Parts, int End) Chain(int i)
        {
            var parts = new List<string> { tokens[i].Text };
            var k = i + 1;
            while (At(k).IsPunctuator(".") && At(k + 1).IsIdentifier)
            {
                parts.Add(tokens[k + 1].Text);
                k += 2;
            }

            return (parts, k);
        }

        // The longest prefix of the chain that is an alias wins; else a conventional alias of its root; else as written.
        private (string Name, bool RootIsModule) ResolveParts(List<string> parts)
        {
            for (var count = parts.Count; count >= 1; count--)
            {
                if (_aliases.TryGetValue(string.Join('.', parts.Take(count)), out var module))
                {
                    return (string.Join('.', parts.Skip(count).Prepend(module)), true);
                }
            }

            return ConventionalAliases.TryGetValue(parts[0], out var conventional)
                ? (string.Join('.', parts.Skip(1).Prepend(conventional)), true)
                : (string.Join('.', parts), false);
        }

        private (string Name, int Line, int Next) DottedName(int k)
        {
            if (!At(k).IsIdentifier)
            {
                return ("", 0, k);
            }

            var line = tokens[k].Line;
            var parts = new List<string> { tokens[k].Text };
            Consume(k, k + 1);
            k++;
            while (At(k).IsPunctuator(".") && At(k + 1).IsIdentifier)
            {
                parts.Add(tokens[k + 1].Text);
                Consume(k, k + 2);
                k += 2;
            }

            return (string.Join('.', parts), line, k);
        }

        private SourceToken At(int index) => index >= 0 && index < tokens.Count ? tokens[index] : default;

        private void Consume(int start, int end)
        {
            for (var k = start; k < end; k++)
            {
                _consumed.Add(k);
            }
        }
    }
}
