using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Passes;

/// <summary>Gives every output memory of its own: an output that is an input, a constant, or memory another output already uses gets a copy.</summary>
/// <remarks>
/// A reshape aliases its source, so an output reached through reshapes from an operation's result lets that operation
/// write straight into the output buffer; only when that memory is an input's, a constant's or an earlier output's is
/// a copy (an identity elementwise operation) needed.
/// </remarks>
public sealed class MaterializeOutputs : IGraphPass
{
    public string Name => nameof(MaterializeOutputs);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producers = graph.Producers();
        var names = new HashSet<string>(graph.Values().Keys, StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var operations = graph.Operations.ToList();
        var outputs = new List<string>();
        foreach (var output in graph.Outputs)
        {
            var root = StorageRoot(output, producers);
            if (producers.TryGetValue(root, out var producer) && producer is not ConstantOp && claimed.Add(root))
            {
                outputs.Add(output);
                continue;
            }

            var name = output + "_out";
            for (var i = 1; !names.Add(name); i++)
            {
                name = Invariant($"{output}_out{i}");
            }

            var value = graph.Values()[output];
            operations.Add(new UnaryOp(value with { Name = name }, UnaryOpKind.Identity, output));
            claimed.Add(name);
            outputs.Add(name);
        }

        return graph with { Operations = [.. operations], Outputs = [.. outputs] };
    }

    /// <summary>The value whose memory <paramref name="name"/> uses: itself, or the source at the end of a chain of reshapes.</summary>
    public static string StorageRoot(string name, IReadOnlyDictionary<string, Operation> producers)
    {
        while (producers.TryGetValue(name, out var producer) && producer is ReshapeOp reshape)
        {
            name = reshape.Source;
        }

        return name;
    }
}
