using System.Globalization;
using System.Text;
using KernelForge.Core;

namespace KernelForge.Translation.IR;

/// <summary>The IR as text, one line per input, operation and output; stable, so it is also what the IR hash covers.</summary>
public static class IRPrinter
{
    public static string Print(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder();
        foreach (var input in graph.Inputs)
        {
            text.Append("input ").Append(input.Value).Append(" (").Append(input.Role.ToString().ToLowerInvariant()).Append(")\n");
        }

        foreach (var operation in graph.Operations)
        {
            text.Append(operation.Result).Append(" = ").Append(operation.Describe()).Append('\n');
        }

        text.Append("return ").Append(string.Join(", ", graph.Outputs.Select(o => "%" + o))).Append('\n');
        return text.ToString();
    }

    /// <summary>The first 16 hex digits of the SHA-256 of <see cref="Print"/>: names the IR in emitted headers.</summary>
    public static string Hash(IRGraph graph) => ContentHash.Of(Print(graph))[..16];

    /// <summary>Shortest round-trip text in invariant culture (<c>1e-05</c> prints as <c>1E-05</c>).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Optional(string? value) => value is null ? "none" : "%" + value;

    public static string Name(UnaryOpKind kind) => Snake(kind.ToString());

    public static string Name(BinaryOpKind kind) => Snake(kind.ToString());

    public static string Name(ReductionKind kind) => "reduce_" + Snake(kind.ToString());

    private static string Snake(string pascal)
    {
        var text = new StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
