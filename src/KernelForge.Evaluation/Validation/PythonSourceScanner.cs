using System.Text.RegularExpressions;

namespace KernelForge.Evaluation.Validation;

/// <summary>
/// Scans a KernelBench-style Python candidate (<c>ModelNew</c>): tokens with lines (comments dropped, literal contents
/// kept aside), dotted names resolved through the imports, the bodies that run at call time, and the C++ held in its
/// string literals.
/// </summary>
/// <remarks>
/// Identifiers are NFKC-normalized as Python does, string escapes are decoded (<c>\x2f</c>, <c>\N{SOLIDUS}</c>), the
/// expressions inside f-string replacement fields are scanned as code, and <c>\</c> line continuations are joined.
/// A literal (or run of literals joined by adjacency or <c>+</c>) that looks like C++ and is not a docstring is
/// scanned as CUDA with the Python file's line numbers. Source assembled at run time from pieces in separate
/// statements is out of reach of any static check; the run-time checks stay the gate for it.
/// </remarks>
public static partial class PythonSourceScanner
{
    // Names a KernelBench file uses without importing them under that name, and what they mean.
    private static readonly Dictionary<string, string> ConventionalAliases = new(StringComparer.Ordinal)
    {
        ["torch"] = "torch",
        ["F"] = "torch.nn.functional",
        ["nn"] = "torch.nn",
    };

    // Function bodies that run once at construction or input generation, not per call.
    private static readonly HashSet<string> SetupFunctions = new(StringComparer.Ordinal) { "__init__", "get_inputs", "get_init_inputs" };

    /// <summary>True when <paramref name="source"/> is Python (a top-level <c>class ModelNew</c> or an import line), not C++.</summary>
    public static bool LooksLikePython(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return PythonLine().IsMatch(source);
    }

    /// <summary>Scans <paramref name="source"/>; lines count from 1.</summary>
    public static ScannedSource Scan(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var tokens = new List<SourceToken>();
        var literals = new Dictionary<int, LiteralText>();
        new Lexer(source, firstLine: 1, literals, tokens).Run();
        var references = new ReferenceResolver(tokens).Resolve();
        return new ScannedSource(SourceLanguage.Python, tokens, references, ComputeBodies(tokens), EmbeddedCuda(tokens, literals));
    }

    // Bodies of every def except the setup functions (and defs nested in them), as line ranges.
    private static List<LineRange> ComputeBodies(List<SourceToken> tokens)
    {
        var setup = new List<LineRange>();
        var compute = new List<(int DefLine, LineRange Body)>();
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            if (!tokens[i].IsName("def") || !tokens[i + 1].IsIdentifier)
            {
                continue;
            }

            var head = i > 0 && tokens[i - 1].IsName("async") && tokens[i - 1].StartsLine ? tokens[i - 1] : tokens[i];
            if (!head.StartsLine)
            {
                continue;
            }

            var last = int.MaxValue;
            for (var k = i + 1; k < tokens.Count; k++)
            {
                if (tokens[k].StartsLine && tokens[k].Column <= head.Column)
                {
                    last = tokens[k].Line - 1;
                    break;
                }
            }

            var body = new LineRange(head.Line, last);
            if (SetupFunctions.Contains(tokens[i + 1].Text))
            {
                setup.Add(body);
            }
            else
            {
                compute.Add((head.Line, body));
            }
        }

        return [.. compute.Where(def => !setup.Any(range => range.Contains(def.DefLine))).Select(def => def.Body)];
    }

    // Runs of adjacent (or +-joined) string literals that look like C++ and are not docstrings, scanned as CUDA.
    private static List<ScannedSource> EmbeddedCuda(List<SourceToken> tokens, Dictionary<int, LiteralText> literals)
    {
        var embedded = new List<ScannedSource>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!literals.ContainsKey(i))
            {
                continue;
            }

            var first = i;
            var run = new List<LiteralText> { literals[i] };
            while (literals.ContainsKey(i + 1) || (i + 2 < tokens.Count && tokens[i + 1].IsPunctuator("+") && literals.ContainsKey(i + 2)))
            {
                i += literals.ContainsKey(i + 1) ? 1 : 2;
                run.Add(literals[i]);
            }

            var isDocstring = tokens[first].StartsLine && (i + 1 >= tokens.Count || tokens[i + 1].StartsLine);
            var text = string.Concat(run.Select(literal => literal.Value));
            if (!isDocstring && LooksLikeCpp().IsMatch(text))
            {
                var lines = new int[text.Length];
                var offset = 0;
                foreach (var literal in run)
                {
                    literal.Lines.CopyTo(lines, offset);
                    offset += literal.Lines.Length;
                }

                embedded.Add(CudaSourceScanner.Scan(text.ToCharArray(), lines));
            }
        }

        return embedded;
    }

    [GeneratedRegex(@"^(?:class\s+ModelNew\b|[ \t]*import\s+[\w.]+|[ \t]*from\s+[\w.]+\s+import\b)", RegexOptions.Multiline)]
    private static partial Regex PythonLine();

    // C++ markers: preprocessor and CUDA keywords, C++ namespaces, CUDA API names, a function body, a call statement.
    [GeneratedRegex(@"#\s*include|__global__|__device__|__host__|PYBIND11_MODULE|\b(?:torch|at|c10|std)::|<<<|\b(?:asm|__asm__)\b|\bcu(?:da)?[A-Z]\w*|\bcublas|\bcudnn|\bextern\s+""C""|\)\s*\{|\w\s*\([^()\n]*\)\s*;")]
    private static partial Regex LooksLikeCpp();
}
