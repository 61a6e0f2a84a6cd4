using System.Text;
using KernelForge.Core;
using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Cuda;

/// <summary>Where every value lives: an input or output buffer of the ABI call, or a slot of the call's workspace.</summary>
/// <remarks>
/// A reshape lives where its source lives. An output reached (through reshapes) from an operation's result makes that
/// operation write into the output buffer (<see cref="MaterializeOutputs"/> guarantees no two outputs share one).
/// Workspace slots start on 256-byte boundaries and are not reused; each value is written once.
/// </remarks>
internal sealed class StoragePlan
{
    /// <summary>Workspace slots start on this boundary (cudaMalloc's alignment; enough for float4 loads).</summary>
    public const long SlotAlignmentBytes = 256;

    private readonly IReadOnlyDictionary<string, Operation> _producers;
    private readonly Dictionary<string, string> _identifiers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inputRoots = new(StringComparer.Ordinal);

    public StoragePlan(IRGraph graph)
    {
        _producers = graph.Producers();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in graph.Inputs.Select(i => i.Value).Concat(graph.Operations.Select(o => o.Result)))
        {
            var identifier = Sanitize(value.Name);
            for (var i = 1; !used.Add(identifier); i++)
            {
                identifier = Sanitize(value.Name) + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            _identifiers[value.Name] = identifier;
        }

        _inputRoots.UnionWith(graph.Inputs.Select(i => i.Value.Name));
        OutputRoots = [.. graph.Outputs.Select(Root)];

        var offset = 0L;
        var slots = new List<(string, long)>();
        foreach (var operation in graph.Operations.Where(o => o is not ReshapeOp && !OutputRoots.Contains(o.Result.Name)))
        {
            slots.Add((operation.Result.Name, offset));
            var bytes = operation.Result.Shape.ElementCount * operation.Result.DataType.ElementBytes();
            offset += (bytes + SlotAlignmentBytes - 1) / SlotAlignmentBytes * SlotAlignmentBytes;
        }

        WorkspaceSlots = slots;
        WorkspaceBytes = offset;
    }

    /// <summary>For each output, the value whose memory it is (its own name unless it is a reshape).</summary>
    public IReadOnlyList<string> OutputRoots { get; }

    /// <summary>Values stored in the workspace and their byte offsets, in operation order.</summary>
    public IReadOnlyList<(string Value, long OffsetBytes)> WorkspaceSlots { get; }

    public long WorkspaceBytes { get; }

    /// <summary>The C pointer variable holding <paramref name="value"/>'s memory, e.g. <c>v_x</c>.</summary>
    public string Pointer(string value) => "v_" + _identifiers[Root(value)];

    /// <summary>True when <paramref name="value"/> lives in an input buffer, which the entry must not write.</summary>
    public bool IsReadOnly(string value) => _inputRoots.Contains(Root(value));

    public string Root(string value) => MaterializeOutputs.StorageRoot(value, _producers);

    /// <summary>
    /// A C identifier part for a torch name: letters and digits kept, any other run of characters one underscore, none
    /// leading (so <c>_softmax</c> gives <c>v_softmax</c>: names with <c>__</c> are reserved in C++).
    /// </summary>
    public static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                text.Append(c);
            }
            else if (text.Length > 0 && text[^1] != '_')
            {
                text.Append('_');
            }
        }

        return text.Length == 0 ? "value" : text.ToString();
    }
}
