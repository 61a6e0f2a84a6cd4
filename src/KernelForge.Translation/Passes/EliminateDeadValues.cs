using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Removes operations whose results no output depends on (including constants that fusion inlined).</summary>
public sealed class EliminateDeadValues : IGraphPass
{
    public string Name => nameof(EliminateDeadValues);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var live = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
        var kept = new List<Operation>();
        foreach (var operation in graph.Operations.Reverse())
        {
            if (live.Contains(operation.Result.Name))
            {
                kept.Add(operation);
                live.UnionWith(operation.Operands);
            }
        }

        kept.Reverse();
        return graph with { Operations = [.. kept] };
    }
}
