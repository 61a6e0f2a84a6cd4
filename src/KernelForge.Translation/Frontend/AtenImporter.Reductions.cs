using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>Reductions (sum, mean, max, min, prod, argmax, argmin, var, std, vector norms, logsumexp) and the tuples max.dim and min.dim return.</summary>
internal sealed partial class AtenImporter
{
    private bool ImportReduction(ExportedNode node, ReductionKind kind)
    {
        var reducesAll = node.Target is "aten.sum.default" or "aten.mean.default" or "aten.max.default" or "aten.min.default";
        long[]? dims = null;
        var keepdim = false;
        var ok = TryTensor(node, 0, "self", out var x)
            & (reducesAll || TryIntList(node, 1, "dim", out dims) & TryBool(node, 2, "keepdim", false, out keepdim))
            && (kind is ReductionKind.Max or ReductionKind.Min || IsFloat32OrAbsent(node, "dtype"));
        if (ok && x.DataType == DataType.Bool)
        {
            if (CountOf(node, x, kind) is not { } ones)
            {
                return false;
            }

            x = ones;
        }

        return ok && Reduce(node, x, dims, keepdim, kind, registerAsNode: true) is not null;
    }

    /// <summary>
    /// A sum of bools counts the trues (<c>(target != ignore_index).sum()</c>, int64 in torch): the sum of a 1-or-0 select,
    /// exact as float32 when the tensor has fewer than 2^24 elements, so the node is declared an exact integer. Null, with
    /// the reason reported, for other reductions of bools.
    /// </summary>
    private IRValue? CountOf(ExportedNode node, IRValue mask, ReductionKind kind)
    {
        if (kind != ReductionKind.Sum || mask.Shape.ElementCount >= IotaOp.ExactLimit)
        {
            Unsupported(node, "reducing a bool tensor other than by a sum of fewer than 2^24 elements (a count exact in float32)");
            return null;
        }

        _exactIntegers.Add(node.Name);
        return BoolAsNumbers(node, mask);
    }

    /// <summary><c>aten.max.dim</c> / <c>aten.min.dim</c>: a (values, int64 indices) tuple; an element nobody reads costs no kernel.</summary>
    private bool ImportExtremumDim(ExportedNode node, ReductionKind valueKind, ReductionKind indexKind)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims) & TryBool(node, 2, "keepdim", false, out var keepdim);
        if (!ok || dims is not [_])
        {
            return ok && Unsupported(node, "dim must be one integer");
        }

        if (Reduce(node, x, dims, keepdim, valueKind, registerAsNode: false) is not { } values
            || Reduce(node, x, dims, keepdim, indexKind, registerAsNode: false, FreshName(node.Name + "_indices")) is not { } indices)
        {
            return false;
        }

        CheckMeta(node, values, node.Results[0]);
        if (node.Results.Length > 1)
        {
            CheckMeta(node, indices, node.Results[1]);
        }

        _tuples[node.Name] = [(values, null), (indices, null)];
        return true;
    }

    private bool ImportProd(ExportedNode node)
    {
        var reducesAll = node.Target == "aten.prod.default";
        long[]? dims = null;
        var keepdim = false;
        var ok = TryTensor(node, 0, "self", out var x)
            & (reducesAll || TryIntList(node, 1, "dim", out dims) & TryBool(node, 2, "keepdim", false, out keepdim))
            && IsFloat32OrAbsent(node, "dtype");
        return ok && Reduce(node, x, dims, keepdim, ReductionKind.Prod, registerAsNode: true) is not null;
    }

    /// <summary><c>aten.argmax(self, dim=None, keepdim=False)</c>: int64 indices; over the flattened tensor when dim is None.</summary>
    private bool ImportArgExtremum(ExportedNode node, ReductionKind kind)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims) & TryBool(node, 2, "keepdim", false, out var keepdim);
        if (ok && dims is { Length: > 1 })
        {
            return Unsupported(node, "dim must be one integer or None");
        }

        return ok && Reduce(node, x, dims, keepdim, kind, registerAsNode: true) is not null;
    }

    /// <summary>var/std: <c>.correction</c> (keyword <c>correction</c>, default 1), <c>.dim</c> and <c>.default</c> (<c>unbiased</c>, default True).</summary>
    private bool ImportVariance(ExportedNode node, ReductionKind kind)
    {
        long[]? dims = null;
        double? correction = 1.0;
        var keepdim = false;
        var unbiased = true;
        var ok = TryTensor(node, 0, "self", out var x);
        if (node.Target.EndsWith(".correction", StringComparison.Ordinal))
        {
            ok = ok & TryIntList(node, 1, "dim", out dims) & TryNumber(node, KeywordOnly, "correction", 1.0, out correction)
                & TryBool(node, KeywordOnly, "keepdim", false, out keepdim);
        }
        else if (node.Target.EndsWith(".dim", StringComparison.Ordinal))
        {
            ok = ok & TryIntList(node, 1, "dim", out dims) & TryBool(node, 2, "unbiased", true, out unbiased) & TryBool(node, 3, "keepdim", false, out keepdim);
            correction = unbiased ? 1.0 : 0.0;
        }
        else
        {
            ok = ok & TryBool(node, 1, "unbiased", true, out unbiased);
            correction = unbiased ? 1.0 : 0.0;
        }

        if (!ok)
        {
            return false;
        }

        return Reduce(node, x, dims, keepdim, kind, registerAsNode: true, correction: correction ?? 1.0) is not null;
    }

    /// <summary><c>aten.linalg_vector_norm(self, ord=2, dim=None, keepdim=False, *, dtype=None)</c> for ord 1 and 2 (also the Frobenius matrix norm).</summary>
    private bool ImportVectorNorm(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryNumber(node, 1, "ord", 2.0, out var ord) & TryIntList(node, 2, "dim", out var dims)
            & TryBool(node, 3, "keepdim", false, out var keepdim) && IsFloat32OrAbsent(node, "dtype");
        if (!ok)
        {
            return false;
        }

        ReductionKind? kind = ord switch
        {
            1.0 => ReductionKind.L1Norm,
            2.0 => ReductionKind.L2Norm,
            _ => null,
        };
        return kind is { } k
            ? Reduce(node, x, dims, keepdim, k, registerAsNode: true) is not null
            : Unsupported(node, $"`ord` = {OrdText(ord ?? double.NaN)} (only 1 and 2 are)");
    }

    private static string OrdText(double ord) => double.IsInfinity(ord) ? (ord > 0 ? "inf" : "-inf") : IRPrinter.Number(ord);

    /// <summary><c>aten.logsumexp(self, dim, keepdim=False)</c>, max-subtracted as torch computes it.</summary>
    private bool ImportLogSumExp(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims) & TryBool(node, 2, "keepdim", false, out var keepdim);
        return ok && Reduce(node, x, dims, keepdim, ReductionKind.LogSumExp, registerAsNode: true) is not null;
    }

    /// <summary>Reduces adjacent <paramref name="dims"/> (all when null or empty) of <paramref name="x"/>, reshaping around the one-axis <see cref="ReductionOp"/>.</summary>
    /// <remarks>The result is named <paramref name="resultName"/> (default: the node's name); index kinds make int64.</remarks>
    private IRValue? Reduce(ExportedNode node, IRValue x, long[]? dims, bool keepdim, ReductionKind kind, bool registerAsNode, string? resultName = null, double correction = 0)
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

        var name = resultName ?? node.Name;
        var dataType = ReductionOp.IsIndexKind(kind) ? DataType.Int64 : x.DataType;
        var merged = Shape.Of([.. extents[..first], reduced, .. extents[(last + 1)..]]);
        var source = x;
        if (merged != x.Shape)
        {
            source = Emit(node, new ReshapeOp(new IRValue(FreshName(name + "_merged"), merged, x.DataType), x.Name), isNodeResult: false);
        }

        var finalShape = keepdim
            ? Shape.Of([.. extents.Select((e, i) => axes.Contains(i) ? 1 : e)])
            : Shape.Of([.. extents.Where((_, i) => !axes.Contains(i))]);
        var reducedShape = keepdim ? Shape.Of([.. merged.Extents.SetItem(first, 1)]) : Shape.Of([.. merged.Extents.RemoveAt(first)]);
        if (reducedShape == finalShape)
        {
            return Emit(node, new ReductionOp(new IRValue(name, finalShape, dataType), kind, source.Name, first) { Correction = correction }, registerAsNode);
        }

        var partial = Emit(node, new ReductionOp(new IRValue(FreshName(name + "_reduced"), reducedShape, dataType), kind, source.Name, first) { Correction = correction }, isNodeResult: false);
        return Emit(node, new ReshapeOp(new IRValue(name, finalShape, dataType), partial.Name), registerAsNode);
    }
}
