using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>Scans (<c>cumsum</c>, <c>cumprod</c>) and <c>flip</c>, with which export spells reverse scans.</summary>
/// <remarks>From native_functions.yaml: <c>cumsum(Tensor self, int dim, *, ScalarType? dtype=None)</c>, <c>flip(Tensor self, int[] dims)</c>.</remarks>
internal sealed partial class AtenImporter
{
    private bool ImportScan(ExportedNode node, ScanKind kind)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims);
        if (!ok || (kind is ScanKind.Sum or ScanKind.Prod && !IsFloat32OrAbsent(node, "dtype")))
        {
            return false;
        }

        if (dims is not [var dim])
        {
            return Unsupported(node, "`dim` must be one integer");
        }

        if (x.Shape.Rank == 0)
        {
            return Unsupported(node, "a scan of a 0-d tensor");
        }

        if (!TryAxis(node, dim, x.Shape.Rank, out var axis))
        {
            return false;
        }

        if (kind is ScanKind.Sum or ScanKind.Prod)
        {
            Emit(node, new ScanOp(x with { Name = node.Name }, kind, x.Name, axis, Reverse: false));
            return true;
        }

        // cummax / cummin return (values, indices); only the values are lowered.
        var values = Emit(node, new ScanOp(x with { Name = FreshName(node.Name + "_values") }, kind, x.Name, axis, Reverse: false), isNodeResult: false);
        CheckMeta(node, values, node.Results[0]);
        _tuples[node.Name] = [(values, null), (null, "the indices of cummax/cummin are not supported yet")];
        return true;
    }

    private bool ImportFlip(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dims", out var dims)))
        {
            return false;
        }

        var axes = new SortedSet<int>();
        foreach (var dim in dims ?? [])
        {
            if (!TryAxis(node, dim, x.Shape.Rank, out var axis))
            {
                return false;
            }

            if (!axes.Add(axis))
            {
                _diagnostics.Error(node.Name, $"{node.Target}: dim {dim} appears more than once in `dims`; torch refuses it too.");
                return false;
            }
        }

        // Flipping no axis, an axis of extent 1, or a 0-d tensor changes nothing.
        axes.RemoveWhere(a => x.Shape.Rank == 0 || x.Shape[a] == 1);
        Emit(node, axes.Count == 0 ? new ReshapeOp(x with { Name = node.Name }, x.Name) : new FlipOp(x with { Name = node.Name }, x.Name, [.. axes]));
        return true;
    }
}
