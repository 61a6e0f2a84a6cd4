using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Reductions, softmax and layer norm, and the tuples some of them return.</summary>
internal sealed partial class AtenImporter
{
    private bool ImportReduction(ExportedNode node, ReductionKind kind)
    {
        var reducesAll = node.Target.EndsWith(".default", StringComparison.Ordinal) && node.Target != "aten.amax.default";
        long[]? dims = null;
        var keepdim = false;
        var ok = TryTensor(node, 0, "self", out var x)
            & (reducesAll || TryIntList(node, 1, "dim", out dims) & TryBool(node, 2, "keepdim", false, out keepdim))
            && (kind == ReductionKind.Max || IsFloat32OrAbsent(node, "dtype"));
        return ok && Reduce(node, x, dims, keepdim, kind, registerAsNode: true) is not null;
    }

    private bool ImportMaxDim(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims) & TryBool(node, 2, "keepdim", false, out var keepdim);
        if (!ok || dims is not [_])
        {
            return ok && Unsupported(node, "dim must be one integer");
        }

        if (Reduce(node, x, dims, keepdim, ReductionKind.Max, registerAsNode: false) is not { } values)
        {
            return false;
        }

        CheckMeta(node, values, node.Results[0]);
        _tuples[node.Name] = [(values, null), (null, "the indices of aten.max.dim (argmax) are not supported yet")];
        return true;
    }

    /// <summary>Reduces adjacent <paramref name="dims"/> (all when null or empty) of <paramref name="x"/>, reshaping around the one-axis <see cref="ReductionOp"/>.</summary>
    private IRValue? Reduce(ExportedNode node, IRValue x, long[]? dims, bool keepdim, ReductionKind kind, bool registerAsNode)
    {
        var extents = x.Shape.Extents;
        if (extents.IsEmpty)
        {
            Unsupported(node, "reducing a 0-d tensor");
            return null;
        }

        var axes = new SortedSet<int>();
        foreach (var dim in dims is { Length: > 0 } ? dims : Enumerable.Range(0, extents.Length).Select(i => (long)i))
        {
            if (!TryAxis(node, dim, extents.Length, out var axis))
            {
                return null;
            }

            axes.Add(axis);
        }

        var (first, last) = (axes.Min, axes.Max);
        if (last - first + 1 != axes.Count)
        {
            Unsupported(node, "reducing dimensions that are not adjacent");
            return null;
        }

        var reduced = extents[first..(last + 1)].Aggregate(1L, (p, e) => p * e);
        if (reduced == 0)
        {
            Unsupported(node, "reducing an empty dimension");
            return null;
        }

        var merged = Shape.Of([.. extents[..first], reduced, .. extents[(last + 1)..]]);
        var source = x;
        if (merged != x.Shape)
        {
            source = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_merged"), merged, x.DataType), x.Name), isNodeResult: false);
        }

        var finalShape = keepdim
            ? Shape.Of([.. extents.Select((e, i) => axes.Contains(i) ? 1 : e)])
            : Shape.Of([.. extents.Where((_, i) => !axes.Contains(i))]);
        var reducedShape = keepdim ? Shape.Of([.. merged.Extents.SetItem(first, 1)]) : Shape.Of([.. merged.Extents.RemoveAt(first)]);
        if (reducedShape == finalShape)
        {
            return Emit(node, new ReductionOp(new IRValue(node.Name, finalShape, x.DataType), kind, source.Name, first), registerAsNode);
        }

        var partial = Emit(node, new ReductionOp(new IRValue(FreshName(node.Name + "_reduced"), reducedShape, x.DataType), kind, source.Name, first), isNodeResult: false);
        return Emit(node, new ReshapeOp(new IRValue(node.Name, finalShape, x.DataType), partial.Name), registerAsNode);
    }

    private bool ImportSoftmax(ExportedNode node, bool isLog)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims);
        var halfToFloat = false;
        ok = ok && (node.Target.StartsWith("aten._", StringComparison.Ordinal)
            ? TryBool(node, 2, "half_to_float", false, out halfToFloat)
            : IsFloat32OrAbsent(node, "dtype"));
        if (!ok || dims is not [var dim] || !TryAxis(node, dim, x.Shape.Rank, out var axis))
        {
            return ok && dims is not [_] && Unsupported(node, "dim must be one integer");
        }

        if (halfToFloat || x.Shape.Rank == 0 || axis != x.Shape.Rank - 1)
        {
            return Unsupported(node, halfToFloat ? "half_to_float=True" : Invariant($"softmax over dim {dim} of a rank-{x.Shape.Rank} tensor (only the last dim is)"));
        }

        Emit(node, new RowSoftmaxOp(x with { Name = node.Name }, x.Name, isLog));
        return true;
    }

    private bool ImportLayerNorm(ExportedNode node)
    {
        var native = node.Target == "aten.native_layer_norm.default";
        var ok = TryTensor(node, 0, "input", out var x) & TryIntList(node, 1, "normalized_shape", out var normalized)
            & TryOptionalTensor(node, 2, "weight", out var weight) & TryOptionalTensor(node, 3, "bias", out var bias)
            & TryNumber(node, 4, "eps", native ? null : 1e-5, out var eps);
        if (!ok)
        {
            return false;
        }

        if (eps is null || normalized is not [var length] || x.Shape.Rank == 0 || length != x.Shape.Last)
        {
            return Unsupported(node, Invariant($"normalized_shape must be the last dimension only ({x.Shape.Last}) and eps a number"));
        }

        var operation = new RowLayerNormOp(x with { Name = node.Name }, x.Name, weight?.Name, bias?.Name, eps.Value);
        if (!native)
        {
            Emit(node, operation);
            return true;
        }

        var result = Emit(node, operation, isNodeResult: false);
        CheckMeta(node, result, node.Results[0]);
        const string Reason = "the mean and rstd results of aten.native_layer_norm (used for training) are not supported yet";
        _tuples[node.Name] = [(result, null), (null, Reason), (null, Reason)];
        return true;
    }

    private bool TryOptionalTensor(ExportedNode node, int index, string name, out IRValue? value)
    {
        value = null;
        if (node.Argument(index, name) is null or NoneArgument)
        {
            return true;
        }

        var ok = TryTensor(node, index, name, out var tensor);
        value = ok ? tensor : null;
        return ok;
    }

    private bool ImportGetItem(ExportedNode node)
    {
        if (node.Argument(0, "tuple") is not NodeReference { Name: var tuple } || node.Argument(1, "index") is not NumberArgument { IsInteger: true } index)
        {
            _diagnostics.Error(node.Name, "getitem expects a node and an integer index.");
            return false;
        }

        if (!_tuples.TryGetValue(tuple, out var elements))
        {
            return _failed.Contains(tuple) ? false : Unsupported(node, $"%{tuple} is not a tuple this translator knows");
        }

        if (index.Value < 0 || index.Value >= elements.Length || elements[(int)index.Value] is not { Value: { } value })
        {
            var reason = index.Value >= 0 && index.Value < elements.Length ? elements[(int)index.Value].Reason : "index out of range";
            _diagnostics.Error(node.Name, $"{tuple}[{IRPrinter.Number(index.Value)}]: {reason}.");
            return false;
        }

        // A tuple element is its producer's result under another name: no operation, but this node is part of its origin.
        _values[node.Name] = value;
        var producer = _operations.FindLastIndex(o => o.Result.Name == value.Name);
        _operations[producer] = _operations[producer].WithOrigins([node.Name]);
        return true;
    }
}
