namespace KernelForge.Evaluation.Validation;

/// <summary>
/// The <c>__global__</c> functions a torch-extension candidate defines, by identifier: its own kernels, which
/// <see cref="Pipeline.KernelLaunchCheck"/> looks for among the kernels its checked calls launched.
/// </summary>
/// <remarks>
/// Reads the tokens the static checker reads (a pybind <c>.cu</c> scanned as CUDA; a <c>ModelNew</c> file's C++ string
/// literals, as <see cref="StaticChecker"/> finds them), so comments and preprocessor directives never count. A
/// declaration is <c>__global__</c>, then any of <c>static</c>, <c>inline</c>, <c>__forceinline__</c>, <c>__noinline__</c>,
/// <c>__launch_bounds__(…)</c>, <c>__maxnreg__(…)</c>, <c>__cluster_dims__(…)</c>, then <c>void</c>, the same qualifiers
/// again, and a (possibly qualified) identifier followed by <c>(</c> or, for an explicit specialization, <c>&lt;</c>.
/// Templates and <c>extern "C"</c> stand before <c>__global__</c> and need nothing. Kernels built from macros, or
/// written in another language (Triton), are not found.
/// </remarks>
public static class KernelDeclarations
{
    private static readonly HashSet<string> Specifiers = new(StringComparer.Ordinal)
    {
        "static", "inline", "__inline__", "__forceinline__", "__noinline__",
    };

    // Attributes written as name(arguments).
    private static readonly HashSet<string> CallLikeSpecifiers = new(StringComparer.Ordinal)
    {
        "__launch_bounds__", "__maxnreg__", "__cluster_dims__",
    };

    /// <summary>Identifiers of the <c>__global__</c> functions in <paramref name="source"/>, each once, in source order.</summary>
    public static IReadOnlyList<string> Identifiers(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        IEnumerable<ScannedSource> documents = PythonSourceScanner.LooksLikePython(source)
            ? PythonSourceScanner.Scan(source).EmbeddedCuda
            : [CudaSourceScanner.Scan(source)];
        var names = new List<string>();
        foreach (var tokens in documents.Select(document => document.Tokens))
        {
            for (var i = 0; i < tokens.Count; i++)
            {
                if (tokens[i].IsName("__global__") && tokens[i].Directive is null && DeclaredName(tokens, i + 1) is { } name && !names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    private static string? DeclaredName(IReadOnlyList<SourceToken> tokens, int index)
    {
        index = SkipSpecifiers(tokens, index);
        if (!CudaPatterns.At(tokens, index).IsName("void"))
        {
            return null;
        }

        index = SkipSpecifiers(tokens, index + 1);
        if (!CudaPatterns.At(tokens, index).IsIdentifier)
        {
            return null;
        }

        var name = tokens[index].Text;
        for (index++; CudaPatterns.At(tokens, index).IsPunctuator("::") && CudaPatterns.At(tokens, index + 1).IsIdentifier; index += 2)
        {
            name = tokens[index + 1].Text;
        }

        var next = CudaPatterns.At(tokens, index);
        return next.IsPunctuator("(") || next.IsPunctuator("<") ? name : null;
    }

    private static int SkipSpecifiers(IReadOnlyList<SourceToken> tokens, int index)
    {
        while (true)
        {
            var token = CudaPatterns.At(tokens, index);
            if (token.IsIdentifier && Specifiers.Contains(token.Text))
            {
                index++;
            }
            else if (token.IsIdentifier && CallLikeSpecifiers.Contains(token.Text) && CudaPatterns.At(tokens, index + 1).IsPunctuator("("))
            {
                index = AfterParentheses(tokens, index + 1);
            }
            else
            {
                return index;
            }
        }
    }

    // The index after the parenthesis group that opens at index (the end of the tokens when it never closes).
    private static int AfterParentheses(IReadOnlyList<SourceToken> tokens, int index)
    {
        var depth = 0;
        for (; index < tokens.Count; index++)
        {
            if (tokens[index].IsPunctuator("("))
            {
                depth++;
            }
            else if (tokens[index].IsPunctuator(")") && --depth == 0)
            {
                return index + 1;
            }
        }

        return index;
    }
}
