using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Folds views away: a reshape to the same shape (or a copy without broadcasting) is its source, and a reshape of a reshape reads the first source.</summary>
/// <remarks>
/// The reshapes left alias their source's memory (tensors are contiguous), so they cost no kernel; consumers index them
/// linearly. A folded node is reported with the operation that computes its source.
/// </remarks>
public sealed class FoldViews : IGraphPass
{
    public string Name => nameof(FoldViews);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var values = graph.Values();
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        var operations = new List<Operation>();
        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var original in graph.Operations)
        {
            var operation = original.RenameOperands(Resolve);
            if (operation is ReshapeOp reshape && producers.TryGetValue(reshape.Source, out var index) && operations[index] is ReshapeOp inner)
            {
                operation = reshape with { Source = inner.Source };
            }

            var source = operation switch
            {
                ReshapeOp r => r.Source,
                UnaryOp { Kind: UnaryOpKind.Identity } u => u.Operand,
                _ => null,
            };
            if (source is not null && values[source].Shape == operation.Result.Shape)
            {
                renamed[operation.Result.Name] = source;
                if (producers.TryGetValue(source, out var producer))
                {
                    operations[producer] = operations[producer].WithOrigins(operation.Origins);
                }

                continue;
            }

            producers[operation.Result.Name] = operations.Count;
            operations.Add(operation);
        }

        return graph with { Operations = [.. operations], Outputs = [.. graph.Outputs.Select(Resolve)] };

        string Resolve(string name) => renamed.TryGetValue(name, out var source) ? source : name;
    }
}
