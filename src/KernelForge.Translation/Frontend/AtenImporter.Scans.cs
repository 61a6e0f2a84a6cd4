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

    /// <summary>
    /// <c>aten.roll</c>: along each dim in turn, the last <c>shift</c> elements (shift taken modulo the extent, so negative shifts
    /// roll the other way) move to the front: a concatenation of two slices, x[n - s:] then x[:n - s]. With no dims, the
    /// tensor is rolled flat and reshaped back, as torch does.
    /// </summary>
    private bool ImportRoll(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "shifts", out var shifts) & TryIntList(node, 2, "dims", out var dims)))
        {
            return false;
        }

        dims ??= [];
        if (shifts is null || shifts.Length == 0 || (dims.Length != 0 && dims.Length != shifts.Length) || (dims.Length == 0 && shifts.Length != 1))
        {
            _diagnostics.Error(node.Name, $"{node.Target}: expected one shift per dim (or one shift and no dims); got {shifts?.Length ?? 0} shifts and {dims.Length} dims.");
            return false;
        }

        var source = dims.Length == 0 && x.Shape.Rank != 1
            ? Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_flat"), Shape.Of([x.Shape.ElementCount]), x.DataType), x.Name), isNodeResult: false)
            : x;
        var pairs = dims.Length == 0 ? [(0L, shifts[0])] : dims.Zip(shifts).ToArray();
        foreach (var (dim, shift) in pairs)
        {
            if (!TryAxis(node, dim, source.Shape.Rank, out var axis))
            {
                return false;
            }

            var extent = source.Shape[axis];
            var s = extent == 0 ? 0 : ((shift % extent) + extent) % extent;
            if (s == 0)
            {
                continue;
            }

            var tail = SliceOf(node, source, axis, extent - s, s, "tail");
            var head = SliceOf(node, source, axis, 0, extent - s, "head");
            source = Emit(node, new ConcatOp(new IRValue(FreshName(node.Name + "_rolled"), source.Shape, source.DataType), [tail.Name, head.Name], axis), isNodeResult: false);
        }

        Emit(node, new ReshapeOp(new IRValue(node.Name, x.Shape, x.DataType), source.Name));
        return true;
    }
}
