namespace KernelForge.Evaluation.Validation;

internal static partial class CudaPatterns
{
    /// <summary>
    /// ATen compute in a C++ extension: <c>at::matmul(</c>, <c>torch::softmax(</c>, anything under
    /// <c>at::native::</c> or <c>torch::nn::functional::</c>, and compute methods on tensors (<c>x.matmul(</c>,
    /// <c>t-&gt;sum(</c>). Allocation (<c>torch::empty</c>) and descriptions (<c>x.size(0)</c>) do not match.
    /// </summary>
    public static IEnumerable<RuleMatch> TorchFallbackCpp(ScannedSource source) => Walk(source, (tokens, i) =>
    {
        var token = tokens[i];
        if (!token.IsIdentifier || !At(tokens, i + 1).IsPunctuator("(") || TorchOps.CppNonCompute.Contains(token.Text))
        {
            return null;
        }

        if (IsMemberName(tokens, i))
        {
            return TorchOps.Compute.Contains(token.Text) ? tokens[i - 1].Text + token.Text + "(" : null;
        }

        var qualifiers = new List<string>();
        for (var k = i - 1; k >= 1 && tokens[k].IsPunctuator("::") && tokens[k - 1].IsIdentifier; k -= 2)
        {
            qualifiers.Insert(0, tokens[k - 1].Text);
        }

        if (qualifiers.Count == 0 || qualifiers[0] is not ("at" or "torch"))
        {
            return null;
        }

        var aten = qualifiers.Contains("native") || qualifiers.Contains("functional") || TorchOps.Compute.Contains(token.Text);
        return aten && !qualifiers.Contains("cuda") ? string.Join("::", qualifiers) + "::" + token.Text + "(" : null;
    });
}
