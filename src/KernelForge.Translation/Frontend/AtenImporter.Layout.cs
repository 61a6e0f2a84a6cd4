using KernelForge.Core;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>slice, select, cat, constant_pad_nd, and the constant-filled tensors (full, zeros_like…) that cat and where read.</summary>
/// <remarks>
/// From native_functions.yaml: <c>slice.Tensor(self, dim=0, start=None, end=None, step=1)</c>, <c>select.int(self, dim, index)</c>,
/// <c>cat(tensors, dim=0)</c>, <c>constant_pad_nd(self, pad, value=0)</c> (pad pairs from the last dim backwards),
/// <c>full(size, fill_value, *, dtype…)</c>, <c>full_like(self, fill_value, *, dtype…)</c>.
/// </remarks>
internal sealed partial class AtenImporter
{
    private bool ImportSlice(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims) & TryIntList(node, 2, "start", out var starts)
            & TryIntList(node, 3, "end", out var ends) & TryIntList(node, 4, "step", out var steps);
        if (!ok)
        {
            return false;
        }

        if (x.Shape.Rank == 0 || dims is { Length: > 1 } || starts is { Length: > 1 } || ends is { Length: > 1 } || steps is { Length: > 1 })
        {
            return Unsupported(node, "slicing a 0-d tensor, or list arguments");
        }

        if (!TryAxis(node, dims is [var d] ? d : 0, x.Shape.Rank, out var axis))
        {
            return false;
        }

        var extent = x.Shape[axis];
        var step = steps is [var s] ? s : 1;
        if (step < 1)
        {
            _diagnostics.Error(node.Name, Invariant($"{node.Target}: step {step} must be positive; torch refuses it too."));
            return false;
        }

        // Python's rules: negative counts from the end, then clamp into [0, extent].
        long Normalize(long? value, long fallback) => value is not { } v ? fallback : Math.Clamp(v < 0 ? v + extent : v, 0, extent);
        var start = Normalize(starts is [var b] ? b : null, 0);
        var end = Math.Max(start, Normalize(ends is [var e] ? e : null, extent));
        var length = (end - start + step - 1) / step;
        if (length == 0)
        {
            return Unsupported(node, "an empty slice");
        }

        var shape = Shape.Of([.. x.Shape.Extents.SetItem(axis, length)]);
        Emit(node, start == 0 && step == 1 && length == extent
            ? new ReshapeOp(x with { Name = node.Name }, x.Name)
            : new SliceOp(new IRValue(node.Name, shape, x.DataType), x.Name, axis, start, step));
        return true;
    }

    /// <summary>
    /// Elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of <paramref name="source"/>
    /// along <paramref name="axis"/>, as a helper value named after the node and <paramref name="label"/>.
    /// </summary>
    private IRValue SliceOf(ExportedNode node, IRValue source, int axis, long start, long length, string label) =>
        Emit(node, new SliceOp(new IRValue(FreshName($"{node.Name}_{label}"), Shape.Of([.. source.Shape.Extents.SetItem(axis, length)]), source.DataType),
            source.Name, axis, start, 1), isNodeResult: false);

    private bool ImportSelect(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims) & TryIntList(node, 2, "index", out var indices)))
        {
            return false;
        }

        if (dims is not [var dim] || indices is not [var index] || x.Shape.Rank == 0)
        {
            return Unsupported(node, "dim and index must be integers, of a tensor with dims");
        }

        if (!TryAxis(node, dim, x.Shape.Rank, out var axis))
        {
            return false;
        }

        var at = index < 0 ? index + x.Shape[axis] : index;
        if (at < 0 || at >= x.Shape[axis])
        {
            _diagnostics.Error(node.Name, Invariant($"{node.Target}: index {index} is out of range for dim {dim} of {x.Shape}."));
            return false;
        }

        var slice = SliceOf(node, x, axis, at, 1, "slice");
        Emit(node, new ReshapeOp(new IRValue(node.Name, Shape.Of([.. x.Shape.Extents.RemoveAt(axis)]), x.DataType), slice.Name));
        return true;
    }

    private bool ImportCat(ExportedNode node)
    {
        if (!TryTensorList(node, out var sources) || !TryIntList(node, 1, "dim", out var dims) || !AreFloat32(node, [.. sources]))
        {
            return false;
        }

        // torch skips 1-d empty tensors in cat (legacy behaviour); any other source fixes the rank.
        sources.RemoveAll(s => s.Shape.Rank == 1 && s.Shape[0] == 0);
        if (sources.Count == 0 || dims is { Length: > 1 })
        {
            return Unsupported(node, sources.Count == 0 ? "cat of nothing" : "`dim` must be one integer");
        }

        var rank = sources[0].Shape.Rank;
        if (!TryAxis(node, dims is [var dim] ? dim : 0, rank, out var axis))
        {
            return false;
        }

        if (sources.Any(s => s.Shape.Rank != rank || Enumerable.Range(0, rank).Any(d => d != axis && s.Shape[d] != sources[0].Shape[d])))
        {
            _diagnostics.Error(node.Name, $"{node.Target}: shapes {string.Join(", ", sources.Select(s => s.Shape))} differ in a dim other than {axis}; torch refuses it too.");
            return false;
        }

        var shape = Shape.Of([.. sources[0].Shape.Extents.SetItem(axis, sources.Sum(s => s.Shape[axis]))]);
        Emit(node, sources.Count == 1
            ? new ReshapeOp(sources[0] with { Name = node.Name }, sources[0].Name)
            : new ConcatOp(new IRValue(node.Name, shape, DataType.Float32), [.. sources.Select(s => s.Name)], axis));
        return true;
    }

    /// <summary>The <c>tensors</c> list argument (cat, stack): false, with a diagnostic, when it is not a list of tensors or one is undefined.</summary>
    private bool TryTensorList(ExportedNode node, out List<IRValue> tensors)
    {
        tensors = [];
        if (node.Argument(0, "tensors") is not ListArgument { Items: var items } || items.Any(i => i is not NodeReference))
        {
            return Unsupported(node, "`tensors` must be a list of tensors");
        }

        foreach (var reference in items.Cast<NodeReference>())
        {
            if (Lookup(reference.Name, node.Name) is not { } value)
            {
                return false;
            }

            tensors.Add(value);
        }

        return true;
    }

    /// <summary><c>stack(tensors, dim)</c>: each tensor viewed with a unit axis at <c>dim</c>, then concatenated along it (as torch decomposes it).</summary>
    private bool ImportStack(ExportedNode node)
    {
        if (!TryTensorList(node, out var sources) || !TryIntList(node, 1, "dim", out var dims) || !AreFloat32(node, [.. sources]))
        {
            return false;
        }

        if (sources.Count == 0)
        {
            return Unsupported(node, "`tensors` must be a non-empty list of tensors");
        }

        var shape = sources[0].Shape;
        if (dims is { Length: > 1 } || !TryAxis(node, dims is [var dim] ? dim : 0, shape.Rank + 1, out var axis))
        {
            return dims is { Length: > 1 } ? Unsupported(node, "`dim` must be one integer") : false;
        }

        if (sources.Any(s => s.Shape != shape))
        {
            _diagnostics.Error(node.Name, $"{node.Target}: shapes {string.Join(", ", sources.Select(s => s.Shape))} differ; torch refuses it too.");
            return false;
        }

        var unit = Shape.Of([.. shape.Extents.Insert(axis, 1)]);
        var parts = sources.Select(source => Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_" + source.Name), unit, DataType.Float32), source.Name), isNodeResult: false)).ToList();
        var result = new IRValue(node.Name, Shape.Of([.. shape.Extents.Insert(axis, sources.Count)]), DataType.Float32);
        Emit(node, parts.Count == 1 ? new ReshapeOp(result, parts[0].Name) : new ConcatOp(result, [.. parts.Select(p => p.Name)], axis));
        return true;
    }

    private bool ImportConstantPad(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "pad", out var pad) & TryNumber(node, 2, "value", 0.0, out var value)))
        {
            return false;
        }

        if (pad is null || pad.Length % 2 != 0 || pad.Length / 2 > x.Shape.Rank || pad.Any(p => p < 0) || value is null)
        {
            return Unsupported(node, "`pad` must be pairs of non-negative amounts (cropping by negative padding is not supported yet), one pair per trailing dim at most");
        }

        var before = new long[x.Shape.Rank];
        var extents = x.Shape.Extents.ToArray();
        for (var i = 0; i < pad.Length / 2; i++)
        {
            var axis = x.Shape.Rank - 1 - i;
            before[axis] = pad[2 * i];
            extents[axis] += pad[2 * i] + pad[(2 * i) + 1];
        }

        Emit(node, extents.AsSpan().SequenceEqual(x.Shape.Extents.AsSpan())
            ? new ReshapeOp(x with { Name = node.Name }, x.Name)
            : new PadOp(new IRValue(node.Name, Shape.Of(extents), x.DataType), x.Name, [.. before], value.Value));
        return true;
    }

    /// <summary>
    /// full, full_like, fill.Scalar, zeros, ones, zeros_like, ones_like, and float32 empty, empty_permuted, empty_like (zeros): a 0-d constant
    /// broadcast to the shape (inlined into its readers).
    /// </summary>
    private bool ImportFilled(ExportedNode node)
    {
        var target = node.Target;
        var like = target.Contains("_like", StringComparison.Ordinal) || target == "aten.fill.Scalar";  // fill(self, value): full_like
        var valueName = target == "aten.fill.Scalar" ? "value" : "fill_value";
        var fromSelf = target.StartsWith("aten.new_", StringComparison.Ordinal);  // new_zeros(self, size): self gives only dtype and device
        Shape? shape = null;
        // empty, empty_permuted, empty_like: torch promises nothing about the contents, so any fill is faithful; zeros is the cheapest.
        var empty = target.StartsWith("aten.empty", StringComparison.Ordinal);
        double? value = empty || target.Contains("zeros", StringComparison.Ordinal) ? 0.0 : target.Contains("ones", StringComparison.Ordinal) ? 1.0 : null;
        var ok = true;
        if (like)
        {
            ok &= TryTensor(node, 0, "self", out var template);
            shape = ok ? template.Shape : null;
        }
        else
        {
            ok &= TryIntList(node, fromSelf ? 1 : 0, "size", out var size);
            shape = size is null ? Shape.Scalar : Shape.Of(size);
        }

        if (value is null && node.Argument(fromSelf ? 2 : 1, valueName) is BoolArgument flag)
        {
            value = flag.Value ? 1.0 : 0.0;
        }

        if (value is null)
        {
            ok &= TryNumber(node, fromSelf ? 2 : 1, valueName, null, out value);
        }

        if (ok && !empty && shape is not null && value is not null && node.Argument(KeywordOnly, "dtype") is DataTypeArgument { Name: "bool" })
        {
            // A bool fill (torch.ones(..., dtype=torch.bool) before triu/tril makes a mask): value != 0, broadcast; bools
            // live only inside fused chains, so it is never stored.
            var (fill, zero) = (Constant(node, value.Value), Constant(node, 0));
            Emit(node, new BinaryOp(new IRValue(node.Name, shape, DataType.Bool), BinaryOpKind.NotEqual, fill.Name, zero.Name));
            return true;
        }

        // An int64 or int32 fill of an integer below 2^24 is exact as float32 (the zero of a safe label, a count's start).
        if (!ok || (!(!empty && value is { } number && IsExactIntegerFill(node, number)) && !IsFloat32OrAbsent(node, "dtype")))
        {
            return false;
        }

        if (value is null || shape is null)
        {
            return Unsupported(node, "a fill value that is not a number");
        }

        var constant = Constant(node, value.Value);
        Emit(node, new UnaryOp(new IRValue(node.Name, shape, DataType.Float32), UnaryOpKind.Identity, constant.Name));
        return true;
    }

    /// <summary>
    /// <c>arange(end)</c>, <c>arange.start(start, end)</c>, <c>arange.start_step(start, end, step)</c> of integers (the index
    /// masks that tril, triu and diag_embed decompose into): an <see cref="IotaOp"/>, carried as float32.
    /// </summary>
    private bool ImportArange(ExportedNode node)
    {
        var hasStart = node.Target != "aten.arange.default";
        double? start = 0, end, step = 1;
        var ok = hasStart ? TryNumber(node, 0, "start", 0, out start) & TryNumber(node, 1, "end", null, out end) : TryNumber(node, 0, "end", null, out end);
        if (node.Target == "aten.arange.start_step")
        {
            ok &= TryNumber(node, 2, "step", 1, out step);
        }

        if (!ok)
        {
            return false;
        }

        if (node.Argument(KeywordOnly, "dtype") is DataTypeArgument { Name: not ("int64" or "int32" or "float32") } dtype)
        {
            return Unsupported(node, $"`dtype` = {dtype.Name}; only integer ranges (int64, int32 or integral float32) are handled");
        }

        if (end is null || start is not { } first || step is not { } stride || stride == 0 || first != Math.Floor(first) || stride != Math.Floor(stride))
        {
            return Unsupported(node, "only ranges of integers with a non-zero integer step are handled");
        }

        var count = (long)Math.Max(0, Math.Ceiling((end.Value - first) / stride));
        if (count == 0 || !IotaOp.StaysExact((long)first, (long)stride, count))
        {
            return Unsupported(node, Invariant($"a range of {count} values from {first}: only non-empty ranges whose values stay below 2^24 are handled (they are carried exactly as float32)"));
        }

        Emit(node, new IotaOp(new IRValue(node.Name, Shape.Of(count), DataType.Float32), (long)first, (long)stride));
        return true;
    }

    /// <summary>
    /// <c>tril(x, diagonal)</c> and <c>triu(x, diagonal)</c> over the last two axes, when export keeps them: the mask
    /// <c>col - row &lt;= diagonal</c> (tril) or <c>&gt;= diagonal</c> (triu) from two aranges, then where(mask, x, 0), or
    /// mask ∧ x for a bool x.
    /// </summary>
    private bool ImportTriangle(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryNumber(node, 1, "diagonal", 0, out var diagonal)))
        {
            return false;
        }

        if (x.Shape.Rank < 2 || x.DataType is not (DataType.Float32 or DataType.Bool) || diagonal is not { } offset || offset != Math.Floor(offset))
        {
            return Unsupported(node, $"{x.DataType.ToProtocolName()} {x.Shape} (only float32 or bool tensors of rank >= 2 and an integer diagonal are)");
        }

        var mask = TriangleMask(node, x.Shape[^2], x.Shape[^1], lower: node.Target == "aten.tril.default", offset);
        Emit(node, x.DataType == DataType.Bool
            ? new BinaryOp(new IRValue(node.Name, x.Shape, DataType.Bool), BinaryOpKind.LogicalAnd, x.Name, mask.Name)
            : new SelectOp(new IRValue(node.Name, x.Shape, DataType.Float32), mask.Name, x.Name, Constant(node, 0).Name));
        return true;
    }

    /// <summary>
    /// The bool <c>[rows, columns]</c> mask of a triangle, from two aranges: <c>col - row &lt;= diagonal</c> (lower, tril)
    /// or <c>col - row &gt;= diagonal</c> (upper, triu). Causal attention's mask is the lower one with diagonal 0.
    /// </summary>
    private IRValue TriangleMask(ExportedNode node, long rows, long columns, bool lower, double diagonal)
    {
        var rowIndex = Emit(node, new IotaOp(new IRValue(FreshName(node.Name + "_rows"), Shape.Of(rows), DataType.Float32), 0, 1), isNodeResult: false);
        var rowColumn = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_rows_column"), Shape.Of(rows, 1), DataType.Float32), rowIndex.Name), isNodeResult: false);
        var columnIndex = Emit(node, new IotaOp(new IRValue(FreshName(node.Name + "_columns"), Shape.Of(columns), DataType.Float32), 0, 1), isNodeResult: false);
        var distance = Emit(node, new BinaryOp(new IRValue(FreshName(node.Name + "_distance"), Shape.Of(rows, columns), DataType.Float32), BinaryOpKind.Sub, columnIndex.Name, rowColumn.Name), isNodeResult: false);
        var kind = lower ? BinaryOpKind.LessEqual : BinaryOpKind.GreaterEqual;
        return Emit(node, new BinaryOp(new IRValue(FreshName(node.Name + "_mask"), Shape.Of(rows, columns), DataType.Bool), kind, distance.Name, Constant(node, diagonal).Name), isNodeResult: false);
    }

    /// <summary><c>diag(self, diagonal=0)</c> of a vector: the diagonal matrix (a matrix's diagonal, or another diagonal, is refused).</summary>
    private bool ImportDiag(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "diagonal", out var offsets)))
        {
            return false;
        }

        if (x.Shape.Rank != 1 || offsets is not (null or [0]))
        {
            return Unsupported(node, "only the main-diagonal matrix of a vector is");
        }

        Emit(node, new DiagonalOp(new IRValue(node.Name, Shape.Of(x.Shape[0], x.Shape[0]), x.DataType), x.Name));
        return true;
    }
}
