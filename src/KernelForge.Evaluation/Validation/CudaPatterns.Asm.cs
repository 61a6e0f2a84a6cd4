using System.Collections.Frozen;
using System.Text;

namespace KernelForge.Evaluation.Validation;

internal static partial class CudaPatterns
{
    private static readonly FrozenSet<string> AsmKeywords = FrozenSet.Create(StringComparer.Ordinal, "asm", "__asm__", "__asm");
    private static readonly FrozenSet<string> AsmQualifiers = FrozenSet.Create(StringComparer.Ordinal, "volatile", "__volatile__", "__volatile", "inline", "__inline__", "goto");

    /// <summary>
    /// <c>asm</c>/<c>__asm__</c> statements whose template is not PTX (see <see cref="PtxTemplate"/>), or is not a
    /// string literal written in place (a macro or an aliased <c>asm</c> keyword, whose text cannot be read here).
    /// </summary>
    /// <remarks>
    /// Device asm goes to ptxas and host asm to the host assembler, and the two cannot be told apart from the source;
    /// so every template must be PTX, which a host assembler refuses. That leaves host code no assembly at all.
    /// </remarks>
    public static IEnumerable<RuleMatch> NonPtxAsm(ScannedSource source)
    {
        var tokens = source.Tokens;
        foreach (var i in Occurrences(source, AsmKeywords))
        {
            if (IsMemberName(tokens, i))
            {
                continue;
            }

            var next = i + 1;
            while (At(tokens, next).IsIdentifier && AsmQualifiers.Contains(At(tokens, next).Text ?? ""))
            {
                next++;
            }

            if (!At(tokens, next).IsPunctuator("("))
            {
                yield return new RuleMatch(tokens[i].Line, tokens[i].Text + " without a template in place");
                continue;
            }

            var template = new StringBuilder();
            var literals = 0;
            var end = next + 1;
            for (; At(tokens, end).Kind == SourceTokenKind.StringLiteral; end++)
            {
                template.Append(tokens[end].Value);
                literals++;
            }

            var closing = At(tokens, end);
            if (literals == 0 || !(closing.IsPunctuator(":") || closing.IsPunctuator("::") || closing.IsPunctuator(")")))
            {
                yield return new RuleMatch(tokens[i].Line, tokens[i].Text + " template that is not a string literal");
            }
            else if (PtxTemplate.FirstNonPtxStatement(template.ToString()) is { } statement)
            {
                yield return new RuleMatch(tokens[i].Line, tokens[i].Text + "(\"" + statement + "\")");
            }
        }
    }
}
