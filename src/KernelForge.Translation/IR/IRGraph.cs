using System.Collections.Immutable;

namespace KernelForge.Translation.IR;

/// <summary>A translated program: ABI inputs, operations in a valid order, and the values returned (in ABI output order).</summary>
/// <remarks>Immutable; passes return new graphs. <see cref="IRVerifier"/> states the invariants.</remarks>
public sealed record IRGraph(ImmutableArray<GraphInput> Inputs, ImmutableArray<Operation> Operations, ImmutableArray<string> Outputs)
{
    /// <summary>Every value of the graph by name: inputs, then operation results (a later duplicate does not replace an earlier one).</summary>
    public IReadOnlyDictionary<string, IRValue> Values()
    {
        var values = new Dictionary<string, IRValue>(StringComparer.Ordinal);
        foreach (var input in Inputs)
        {
            values.TryAdd(input.Value.Name, input.Value);
        }

        foreach (var operation in Operations)
        {
            values.TryAdd(operation.Result.Name, operation.Result);
        }

        return values;
    }

    /// <summary>The operation defining each value (inputs have none).</summary>
    public IReadOnlyDictionary<string, Operation> Producers()
    {
        var producers = new Dictionary<string, Operation>(StringComparer.Ordinal);
        foreach (var operation in Operations)
        {
            producers.TryAdd(operation.Result.Name, operation);
        }

        return producers;
    }

    /// <summary>The operations reading each value, in graph order, each once however many of its operands name the value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Operation>> Readers()
    {
        var readers = new Dictionary<string, List<Operation>>(StringComparer.Ordinal);
        foreach (var operation in Operations)
        {
            foreach (var operand in operation.Operands.Distinct(StringComparer.Ordinal))
            {
                if (!readers.TryGetValue(operand, out var list))
                {
                    readers[operand] = list = [];
                }

                list.Add(operation);
            }
        }

        return readers.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<Operation>)pair.Value, StringComparer.Ordinal);
    }

    /// <summary>How many times each value is read: once per operand slot and once per output slot.</summary>
    public IReadOnlyDictionary<string, int> UseCounts()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in Operations.SelectMany(o => o.Operands).Concat(Outputs))
        {
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        return counts;
    }

    /// <summary>The graph with every read of a value renamed, in operations and outputs.</summary>
    public IRGraph RenameUses(Func<string, string> rename) => this with
    {
        Operations = [.. Operations.Select(o => o.RenameOperands(rename))],
        Outputs = [.. Outputs.Select(rename)],
    };

    public override string ToString() => IRPrinter.Print(this);
}
