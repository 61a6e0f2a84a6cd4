using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Softmax and layer norm, and the tuples some ops return.</summary>
internal sealed partial class AtenImporter
{
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

        if (halfToFloat || x.Shape.Rank == 0)
        {
            return Unsupported(node, halfToFloat ? "half_to_float=True" : "softmax of a 0-d tensor");
        }

        if (x.Shape.Stride(axis) != 1)
        {
            Emit(node, new AxisSoftmaxOp(x with { Name = node.Name }, x.Name, axis, isLog));
        }
        else if (axis == x.Shape.Rank - 1)
        {
            Emit(node, new RowSoftmaxOp(x with { Name = node.Name }, x.Name, isLog));
        }
        else
        {
            // An inner axis followed only by extents of 1 is the last axis in memory: rows of it, viewed back.
            var rows = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_rows"), Shape.Of(x.Shape.ElementCount / x.Shape[axis], x.Shape[axis]), x.DataType), x.Name), isNodeResult: false);
            var softmax = Emit(node, new RowSoftmaxOp(rows with { Name = FreshName(node.Name + "_row") }, rows.Name, isLog), isNodeResult: false);
            Emit(node, new ReshapeOp(x with { Name = node.Name }, softmax.Name));
        }
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

        var rank = normalized?.Length ?? 0;
        if (eps is null || normalized is null || rank == 0 || rank > x.Shape.Rank || !normalized.AsSpan().SequenceEqual(x.Shape.Extents.AsSpan()[^rank..]))
        {
            return Unsupported(node, Invariant($"normalized_shape must be trailing dimensions of the input {x.Shape} and eps a number"));
        }

        foreach (var vector in new[] { weight, bias }.OfType<IRValue>())
        {
            if (!vector.Shape.Extents.AsSpan().SequenceEqual(normalized))
            {
                _diagnostics.Error(node.Name, $"{node.Target}: %{vector.Name} has shape {vector.Shape}; the weight and bias have normalized_shape {Shape.Of(normalized)}.");
                return false;
            }
        }

        IRValue result;
        if (rank == 1)
        {
            var operation = new RowLayerNormOp(x with { Name = node.Name }, x.Name, weight?.Name, bias?.Name, eps.Value);
            result = Emit(node, operation, isNodeResult: !native);
        }
        else
        {
            // Several trailing dims are one long row: view x as [rows, length] and the weight and bias as [length].
            var length = normalized.Aggregate(1L, (p, e) => p * e);
            var rows = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_rows"), Shape.Of(x.Shape.ElementCount / length, length), x.DataType), x.Name), isNodeResult: false);
            string? Flat(IRValue? vector) => vector is null ? null
                : Emit(node, new ReshapeOp(new IRValue(FreshName(vector.Name + "_flat"), Shape.Of(length), vector.DataType), vector.Name), isNodeResult: false).Name;
            var norm = Emit(node, new RowLayerNormOp(rows with { Name = FreshName(node.Name + "_norm") }, rows.Name, Flat(weight), Flat(bias), eps.Value), isNodeResult: false);
            result = Emit(node, new ReshapeOp(x with { Name = node.Name }, norm.Name), isNodeResult: !native);
        }

        if (!native)
        {
            return true;
        }

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
