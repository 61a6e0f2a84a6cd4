namespace KernelForge.Evaluation.Validation;

internal static partial class PythonPatterns
{
    /// <summary>
    /// Torch doing the work at call time (in any function but <c>__init__</c>, <c>get_inputs</c>, <c>get_init_inputs</c>):
    /// compute calls under <c>torch</c> (<c>torch.matmul</c>, <c>F.relu</c>, <c>torch.ops.aten.*</c>), compute methods
    /// on tensors (<c>x.matmul(</c>), the <c>@</c> operator, and calls of attributes that <c>__init__</c> bound to a
    /// torch module or op (<c>self.conv = nn.Conv2d(…)</c> then <c>self.conv(x)</c>).
    /// </summary>
    public static IEnumerable<RuleMatch> TorchFallback(ScannedSource source)
    {
        var bodies = source.ComputeBodies;
        bool AtCallTime(int line) => bodies.Any(body => body.Contains(line));
        var statements = new Statements(source);
        var extensions = ExtensionHandles(source, statements);

        foreach (var reference in source.References.Where(reference => !reference.IsImport && AtCallTime(reference.Line)))
        {
            var lastPart = reference.Name[(reference.Name.LastIndexOf('.') + 1)..];
            var torchCall = reference.RootIsModule && TorchOps.IsPythonCompute(reference.Name)
                && (reference.IsCall || TorchOps.Compute.Contains(lastPart));
            var tensorMethod = !reference.RootIsModule && reference.IsCall && reference.Name.Contains('.', StringComparison.Ordinal)
                && !reference.Name.StartsWith("self.", StringComparison.Ordinal) && TorchOps.Compute.Contains(lastPart)
                && !extensions.Any(handle => IsUnder(reference.Name, [handle]));
            if (torchCall || tensorMethod)
            {
                yield return new RuleMatch(reference.Line, reference.Name);
            }
        }

        var torchAttributes = TorchBackedAttributes(source, statements);
        foreach (var reference in source.References.Where(reference => reference.IsCall && AtCallTime(reference.Line)
            && torchAttributes.TryGetValue(reference.Name, out _)))
        {
            yield return new RuleMatch(reference.Line, reference.Name + " (" + torchAttributes[reference.Name] + ")");
        }

        var tokens = source.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var matmulOperator = (token.IsPunctuator("@") && !token.StartsLine) || token.IsPunctuator("@=");
            var methodOnResult = token.IsIdentifier && i > 1 && tokens[i - 1].IsPunctuator(".") && (tokens[i - 2].IsPunctuator(")") || tokens[i - 2].IsPunctuator("]"))
                && CudaPatterns.At(tokens, i + 1).IsPunctuator("(") && TorchOps.Compute.Contains(token.Text);
            if ((matmulOperator || methodOnResult) && AtCallTime(token.Line))
            {
                yield return new RuleMatch(token.Line, matmulOperator ? token.Text + " (matmul)" : "." + token.Text + "(");
            }
        }
    }

    // self.NAME assigned (anywhere) from an expression that names a torch module class or a torch compute op.
    private static Dictionary<string, string> TorchBackedAttributes(ScannedSource source, Statements statements)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in source.References.Where(reference => reference.IsAssignment && reference.Name.StartsWith("self.", StringComparison.Ordinal)))
        {
            var torch = statements.Of(target).FirstOrDefault(reference => reference.RootIsModule && IsTorchModuleOrOp(reference.Name));
            if (torch.Name is not null)
            {
                attributes[target.Name] = torch.Name;
            }
        }

        return attributes;
    }

    // Names bound to a built extension (load_inline/load), directly or through another handle: their methods are
    // the candidate's own kernels even when named like torch ops (ext.matmul).
    private static List<string> ExtensionHandles(ScannedSource source, Statements statements)
    {
        var handles = new List<string>();
        foreach (var target in source.References.Where(reference => reference.IsAssignment))
        {
            var built = statements.Of(target).Any(reference => IsUnder(reference.Name, ["torch.utils.cpp_extension"])
                || handles.Any(handle => reference.Name != target.Name && IsUnder(reference.Name, [handle])));
            if (built)
            {
                handles.Add(target.Name);
            }
        }

        return handles;
    }

    // The references of the logical line an assignment target starts, other than the target itself.
    private sealed class Statements(ScannedSource source)
    {
        private readonly int[] _lineStarts = [.. source.Tokens.Where(token => token.StartsLine).Select(token => token.Line).Distinct().Order()];
        private readonly ILookup<int, PythonReference> _byLine = source.References.ToLookup(reference => reference.Line);

        public IEnumerable<PythonReference> Of(PythonReference target)
        {
            var index = Array.BinarySearch(_lineStarts, target.Line + 1);
            index = index < 0 ? ~index : index;
            var last = index < _lineStarts.Length ? _lineStarts[index] - 1 : target.Line;
            for (var line = target.Line; line <= last; line++)
            {
                foreach (var reference in _byLine[line])
                {
                    if (reference != target)
                    {
                        yield return reference;
                    }
                }
            }
        }
    }

    private static bool IsTorchModuleOrOp(string name)
    {
        var parts = name.Split('.');
        if (parts.Length == 3 && parts[0] == "torch" && parts[1] == "nn" && char.IsUpper(parts[2][0]))
        {
            return !TorchOps.ParameterHolders.Contains(parts[2]);
        }

        return TorchOps.IsPythonCompute(name) && (TorchOps.Compute.Contains(parts[^1]) || IsUnder(name, ["torch.nn.functional", "torch.compile", "torch.jit", "torch.ops.aten"]));
    }
}
