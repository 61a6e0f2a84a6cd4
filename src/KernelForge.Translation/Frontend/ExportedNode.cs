using System.Collections.Immutable;

namespace KernelForge.Translation.Frontend;

/// <summary>One <c>call_function</c> node: the op, its arguments, and what torch says it returns.</summary>
/// <remarks>
/// <c>Target</c>: Normalized op name, e.g. <c>aten.relu.default</c>, or <c>getitem</c> for tuple indexing.<br/>
/// <c>Results</c>: One entry for a tensor result; one per element for a tuple (<see cref="IsTuple"/>).<br/>
/// </remarks>
public sealed record ExportedNode(
    string Name,
    string Target,
    ImmutableArray<NodeArgument> Args,
    ImmutableArray<KeyValuePair<string, NodeArgument>> Kwargs,
    ImmutableArray<ExportedTensorMeta> Results,
    bool IsTuple)
{
    /// <summary>Positional argument <paramref name="index"/>, else the keyword argument <paramref name="name"/>, else null.</summary>
    public NodeArgument? Argument(int index, string name)
    {
        if (index < Args.Length)
        {
            return Args[index];
        }

        foreach (var (key, value) in Kwargs)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }
}
