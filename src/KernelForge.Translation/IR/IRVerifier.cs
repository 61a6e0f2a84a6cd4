using KernelForge.Core;
using KernelForge.Translation.Diagnostics;
using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary>Checks the invariants every pass keeps: names unique, values defined before use, shapes and types consistent, outputs defined.</summary>
/// <remarks>Runs after the frontend and after every pass; a failure after a pass is a bug in that pass.</remarks>
public static class IRVerifier
{
    /// <summary>One error per broken invariant; empty when the graph is well formed.</summary>
    public static IReadOnlyList<Diagnostic> Verify(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var errors = new DiagnosticBag();
        var defined = new Dictionary<string, IRValue>(StringComparer.Ordinal);
        foreach (var input in graph.Inputs)
        {
            Define(input.Value);
        }

        foreach (var operation in graph.Operations)
        {
            var operands = new List<IRValue>();
            foreach (var name in operation.Operands)
            {
                if (defined.TryGetValue(name, out var operand))
                {
                    operands.Add(operand);
                }
                else
                {
                    errors.Error(operation.Result.Name, $"reads %{name} before it is defined.");
                }
            }

            if (operands.Count == operation.Operands.Count)
            {
                CheckOperation(operation, operands.DistinctBy(v => v.Name).ToDictionary(v => v.Name, StringComparer.Ordinal), errors);
            }

            Define(operation.Result);
        }

        if (graph.Outputs.IsEmpty)
        {
            errors.Error(null, "the graph returns nothing.");
        }

        foreach (var output in graph.Outputs.Where(o => !defined.ContainsKey(o)))
        {
            errors.Error(output, "is returned but never defined.");
        }

        return errors;

        void Define(IRValue value)
        {
            if (!defined.TryAdd(value.Name, value))
            {
                errors.Error(value.Name, "is defined twice.");
            }

            if (value.Shape.Extents.Any(e => e < 0))
            {
                errors.Error(value.Name, $"has a negative extent in {value.Shape}.");
            }
        }
    }

    private static void CheckOperation(Operation operation, Dictionary<string, IRValue> operands, DiagnosticBag errors)
    {
        var result = operation.Result;
        if (operation is ReductionOp { IsIndex: true } index)
        {
            if (result.DataType != DataType.Int64 || operands[index.Source].DataType != DataType.Float32)
            {
                errors.Error(result.Name, $"is an index reduction ({IRPrinter.Name(index.Kind)}): it reads float32 and is int64, not {operands[index.Source].DataType.ToProtocolName()} to {result.DataType.ToProtocolName()}.");
            }
        }
        else if (operation is BinaryOp { Kind: var kind } && BinaryOp.IsPredicate(kind) || operation is UnaryOp { Kind: var unaryKind } && UnaryOp.IsPredicate(unaryKind))
        {
            // Comparisons read numbers, logical connectives numbers or bools; all make bool.
            var comparison = operation is BinaryOp binary && binary.Kind < BinaryOpKind.LogicalAnd;
            foreach (var operand in operands.Values.Where(o => o.DataType != DataType.Float32 && (comparison || o.DataType != DataType.Bool)))
            {
                errors.Error(result.Name, $"compares or combines %{operand.Name} of {operand.DataType.ToProtocolName()}; expected float32{(comparison ? "" : " or bool")}.");
            }

            if (result.DataType != DataType.Bool)
            {
                errors.Error(result.Name, $"is a comparison or logical op, so bool, not {result.DataType.ToProtocolName()}.");
            }
        }
        else if (operation is SelectOp select)
        {
            if (operands[select.Condition].DataType != DataType.Bool || operands[select.IfTrue].DataType != DataType.Float32
                || operands[select.IfFalse].DataType != DataType.Float32 || result.DataType != DataType.Float32)
            {
                errors.Error(result.Name, "selects with a bool condition between float32 values into float32; got other types.");
            }
        }
        else if (operation is ConvertOp convert)
        {
            if (operands[convert.Source].DataType is not (DataType.Int64 or DataType.Bool) || result.DataType != DataType.Float32)
            {
                errors.Error(result.Name, $"converts int64 or bool to float32, not {operands[convert.Source].DataType.ToProtocolName()} to {result.DataType.ToProtocolName()}.");
            }
        }
        else if (operation is GatherOp or RowSoftmaxPickOp)
        {
            var (source, positions) = (operands[operation.Operands[0]], operands[operation.Operands[1]]);
            if (source.DataType != DataType.Float32 || positions.DataType is not (DataType.Int64 or DataType.Float32) || result.DataType != DataType.Float32)
            {
                errors.Error(result.Name, $"picks float32 elements by an int64 (or float32 integer) index into float32, not {source.DataType.ToProtocolName()} by {positions.DataType.ToProtocolName()} into {result.DataType.ToProtocolName()}.");
            }
        }
        else if (operation is FusedPointwiseOp)
        {
            // Its bool subexpressions were checked as single ops before fusion; the result is float32 or bool.
            if (result.DataType is not (DataType.Float32 or DataType.Bool))
            {
                errors.Error(result.Name, $"is a fused elementwise chain of {result.DataType.ToProtocolName()}; expected float32 or bool.");
            }
        }
        else
        {
            foreach (var operand in operands.Values.Where(o => o.DataType != result.DataType))
            {
                errors.Error(result.Name, $"is {result.DataType.ToProtocolName()} but reads %{operand.Name} of {operand.DataType.ToProtocolName()}.");
            }

            var boolCopy = operation is UnaryOp { Kind: UnaryOpKind.Identity } && result.DataType == DataType.Bool;
            if (operation is not ReshapeOp && !boolCopy && result.DataType != DataType.Float32)
            {
                errors.Error(result.Name, $"computes {result.DataType.ToProtocolName()}; only reshapes (and argmax/argmin, which make int64, and comparisons, which make bool) carry other types than float32.");
            }
        }

        switch (operation)
        {
            case UnaryOp or BinaryOp or FusedPointwiseOp or SelectOp:
                foreach (var operand in operands.Values.Where(o => !Broadcasting.BroadcastsTo(o.Shape, result.Shape)))
                {
                    errors.Error(result.Name, $"has shape {result.Shape}, to which operand %{operand.Name} of shape {operand.Shape} does not broadcast.");
                }

                break;
            case ConstantOp when result.Shape.Rank != 0:
                errors.Error(result.Name, $"is a constant of shape {result.Shape}; constants are 0-d.");
                break;
            case ReshapeOp reshape when operands[reshape.Source].Shape.ElementCount != result.Shape.ElementCount:
                errors.Error(result.Name, $"reshapes {operands[reshape.Source].Shape} to {result.Shape}: the element counts differ.");
                break;
            case ReductionOp { Prologue: { } prologue } reduction:
                CheckReduction(reduction, prologue.SourceShape, errors);
                if (prologue.SourceShape.ElementCount != prologue.ExpressionShape.ElementCount || reduction.IsIndex
                    || operands.Values.Any(o => !Broadcasting.BroadcastsTo(o.Shape, prologue.ExpressionShape)))
                {
                    errors.Error(result.Name, $"has a prologue of shape {prologue.ExpressionShape} for a source of {prologue.SourceShape}; expected as many elements, loads that broadcast to it, and a value reduction.");
                }

                break;
            case ReductionOp reduction:
                CheckReduction(reduction, operands[reduction.Source].Shape, errors);
                break;
            case RowSoftmaxOp or RowLayerNormOp or RowRmsNormOp:
                CheckRowOperation(operation, operands, errors);
                break;
            case TransposeOp transpose when operands[transpose.Source].Shape is var source
                && (source.Rank < 2 || MatmulOp.Logical(source, transposed: true) != result.Shape):
                errors.Error(result.Name, $"transposes {source} to {result.Shape}; expected rank 2 or more with the last two axes swapped.");
                break;
            case MatmulOp matmul:
                CheckMatmul(matmul, operands, errors);
                CheckEpilogue(matmul.Epilogue, result, operands, errors);
                break;
            case PoolOp pool:
                CheckPool(pool, operands[pool.Source].Shape, errors);
                break;
            case AdaptivePoolOp adaptive when operands[adaptive.Source].Shape is var source
                && (adaptive.SpatialRank is < 1 or > 3 || source.Rank < adaptive.SpatialRank + 1 || adaptive.OutputSize.Any(e => e < 1)
                    || source.Extents[^adaptive.SpatialRank..].Any(e => e < 1) || adaptive.OutputShape(source) != result.Shape):
                errors.Error(result.Name, $"{adaptive.Describe()} of {source} into {result.Shape}: expected 1 to 3 spatial axes after a leading one, none empty, output extents at least 1, and the leading axes then the output size.");
                break;
            case UpsampleNearestOp upsample when operands[upsample.Source].Shape is var source
                && (!IsResize(upsample.SpatialRank, source, result.Shape) || upsample.Scales.Any(s => !float.IsFinite(s) || s <= 0)):
                errors.Error(result.Name, $"{upsample.Describe()} of {source} into {result.Shape}: expected 1 to 3 spatial axes after a leading one, none empty, the source's leading axes, and positive finite scales.");
                break;
            case UpsampleLinearOp linear when operands[linear.Source].Shape is var source
                && (!IsResize(linear.SpatialRank, source, result.Shape) || linear.Scales.Any(s => !float.IsFinite(s) || s < 0)):
                errors.Error(result.Name, $"{linear.Describe()} of {source} into {result.Shape}: expected 1 to 3 spatial axes after a leading one, none empty, the source's leading axes, and finite scales of 0 or more.");
                break;
            case ConvolutionOp convolution:
                CheckConvolution(convolution, operands, errors);
                CheckEpilogue(convolution.Epilogue, result, operands, errors);
                break;
            case PermuteOp permute when operands[permute.Source].Shape is var source
                && (permute.Order.Length != source.Rank || permute.Order.Order().Select((a, i) => a != i).Any(x => x) || PermuteOp.Permuted(source, permute.Order) != result.Shape):
                errors.Error(result.Name, $"{permute.Describe()} of {source} into {result.Shape}: expected a permutation of the source's axes and the permuted shape.");
                break;
            case IotaOp iota when result.Shape.Rank != 1 || result.DataType != DataType.Float32 || !IotaOp.StaysExact(iota.Start, iota.Step, result.Shape[0]):
                errors.Error(result.Name, $"{iota.Describe()} into {result.Shape} {result.DataType.ToProtocolName()}: expected a float32 vector whose values stay below 2^24 (exact in float32).");
                break;
            case DiagonalOp diagonal when operands[diagonal.Source].Shape is var source && (source.Rank != 1 || result.Shape != Shape.Of(source[0], source[0])):
                errors.Error(result.Name, $"{diagonal.Describe()} of {source} into {result.Shape}: expected a vector and the square matrix of its length.");
                break;
            case SliceOp slice when operands[slice.Source].Shape is var source
                && (slice.Axis < 0 || slice.Axis >= source.Rank || slice.Start < 0 || slice.Step < 1 || result.Shape.Rank != source.Rank
                    || Enumerable.Range(0, source.Rank).Any(d => d != slice.Axis && source[d] != result.Shape[d])
                    || (result.Shape[slice.Axis] > 0 && slice.Start + (result.Shape[slice.Axis] - 1) * slice.Step >= source[slice.Axis])):
                errors.Error(result.Name, $"{slice.Describe()} of {source} into {result.Shape}: expected the source's shape but along the axis, and every index read inside the source.");
                break;
            case PadOp pad when operands[pad.Source].Shape is var source
                && (pad.Before.Length != source.Rank || result.Shape.Rank != source.Rank
                    || Enumerable.Range(0, source.Rank).Any(d => pad.Before[d] < 0 || result.Shape[d] < source[d] + pad.Before[d])):
                errors.Error(result.Name, $"{pad.Describe()} of {source} into {result.Shape}: expected one non-negative pad per axis and room for the source.");
                break;
            case ConcatOp concat when concat.Sources.Select(s => operands[s].Shape).ToList() is var shapes
                && (concat.Axis < 0 || concat.Axis >= result.Shape.Rank || shapes.Any(s => s.Rank != result.Shape.Rank
                    || Enumerable.Range(0, s.Rank).Any(d => d != concat.Axis && s[d] != result.Shape[d])) || shapes.Sum(s => s[concat.Axis]) != result.Shape[concat.Axis]):
                errors.Error(result.Name, $"{concat.Describe()} into {result.Shape}: expected equal extents but along the axis, where they add up.");
                break;
            case AxisSoftmaxOp softmax when operands[softmax.Source].Shape is var source && (softmax.Axis < 0 || softmax.Axis >= source.Rank || source != result.Shape):
                errors.Error(result.Name, Invariant($"{softmax.Describe()} of {source} into {result.Shape}: expected an axis of the source and its shape."));
                break;
            case ChannelNormOp norm when operands[norm.Source].Shape is var source
                && (source != result.Shape || source.Rank < 2 || norm.Operands.Skip(1).Any(v => operands[v].Shape != Shape.Of(source[1]))):
                errors.Error(result.Name, $"{norm.Describe()} of {source} into {result.Shape}: expected rank 2 or more, the source's shape, and [C] weight and bias.");
                break;
            case ScanOp { SourceView: null, Border: null } scan when operands[scan.Source].Shape is var source && (scan.Axis < 0 || scan.Axis >= source.Rank || source != result.Shape):
                errors.Error(result.Name, Invariant($"scans axis {scan.Axis} of {source} into {result.Shape}; expected an axis of the source and its shape."));
                break;
            case ScanOp scan when operands[scan.Source].Shape is var source && scan.ScannedShape is var scanned
                && (scan.Axis < 0 || scan.Axis >= scanned.Rank || (scan.SourceView is { } view ? view.Shape != scanned || !view.FitsIn(source.ElementCount) : source != scanned)
                    || (scan.Border is { } border && !border.FitsIn(result.Shape))):
                errors.Error(result.Name, Invariant($"{scan.Describe()} of {source} into {result.Shape}: expected an axis of the scanned shape, a view of it inside the source (or the source's shape), and room for it in the result."));
                break;
            case GatherOp gather:
                CheckGather(gather, gather.Axis, operands[gather.Source], operands[gather.Index], rowsMatch: false, errors);
                break;
            case RowSoftmaxPickOp pick:
                CheckGather(pick, operands[pick.Source].Shape.Rank - 1, operands[pick.Source], operands[pick.Index], rowsMatch: true, errors);
                break;
            case FlipOp flip when operands[flip.Source].Shape is var source
                && (source != result.Shape || flip.Axes.IsEmpty || flip.Axes.Any(a => a < 0 || a >= source.Rank) || !flip.Axes.SequenceEqual(flip.Axes.Distinct().Order())):
                errors.Error(result.Name, $"{flip.Describe()} of {source} into {result.Shape}: expected distinct ascending axes of the source, and its shape.");
                break;
        }
    }

    /// <summary>A resize of the last <paramref name="spatialRank"/> (1 to 3) axes after a leading one: the source's leading axes, no spatial extent empty.</summary>
    private static bool IsResize(int spatialRank, Shape source, Shape result) =>
        spatialRank is >= 1 and <= 3 && source.Rank >= spatialRank + 1 && result.Rank == source.Rank
        && source.Extents[..^spatialRank].SequenceEqual(result.Extents[..^spatialRank])
        && source.Extents[^spatialRank..].All(e => e >= 1) && result.Extents[^spatialRank..].All(e => e >= 1);

    /// <summary>
    /// A gather's result has the source's rank and no larger extents off the axis (equal ones when <paramref name="rowsMatch"/>:
    /// one index row per source row, and then the index has the result's shape); the index has the result's extents, or 1 off
    /// the axis (broadcast, <see cref="GatherOp"/>); a float32 index addresses an axis of at most 2^24.
    /// </summary>
    private static void CheckGather(Operation operation, int axis, IRValue source, IRValue index, bool rowsMatch, DiagnosticBag errors)
    {
        var (from, by, result) = (source.Shape, index.Shape, operation.Result.Shape);
        if (axis < 0 || axis >= from.Rank || by.Rank != from.Rank || result.Rank != from.Rank || from[axis] < 1 || (rowsMatch && result != by)
            || Enumerable.Range(0, from.Rank).Any(d => (by[d] != result[d] && (d == axis || by[d] != 1)) || (d != axis && (rowsMatch ? result[d] != from[d] : result[d] > from[d]))))
        {
            errors.Error(operation.Result.Name, Invariant($"{operation.Describe()} of {from} by {by} into {result}: expected an axis of the source, a result of its rank whose extents off the axis are {(rowsMatch ? "the source's" : "no larger than the source's")}, and an index of the result's extents{(rowsMatch ? "" : " (or 1 off the axis)")}."));
        }
        else if (index.DataType == DataType.Float32 && from[axis] > IotaOp.ExactLimit)
        {
            errors.Error(operation.Result.Name, Invariant($"{operation.Describe()} indexes {from[axis]} positions by a float32 index; float32 holds every index exactly only up to 2^24, so convert the index no earlier than the gather."));
        }
    }

    private static void CheckEpilogue(Epilogue? epilogue, IRValue result, Dictionary<string, IRValue> operands, DiagnosticBag errors)
    {
        foreach (var operand in (epilogue?.Loads ?? []).Select(name => operands[name]).Where(o => !Broadcasting.BroadcastsTo(o.Shape, result.Shape)))
        {
            errors.Error(result.Name, $"has an epilogue reading %{operand.Name} of shape {operand.Shape}, which does not broadcast to {result.Shape}.");
        }
    }

    private static void CheckConvolution(ConvolutionOp convolution, Dictionary<string, IRValue> operands, DiagnosticBag errors)
    {
        var result = convolution.Result;
        var rank = convolution.SpatialRank;
        if (rank is < 1 or > 3 || convolution.Padding.Length != rank || convolution.Dilation.Length != rank || convolution.OutputPadding.Length != rank
            || convolution.Stride.Any(s => s < 1) || convolution.Dilation.Any(d => d < 1) || convolution.Padding.Any(p => p < 0)
            || convolution.OutputPadding.Any(p => p < 0) || (!convolution.Transposed && convolution.OutputPadding.Any(p => p != 0)))
        {
            errors.Error(result.Name, $"{convolution.Describe()}: expected 1 to 3 spatial axes with one positive stride and dilation, one padding and output padding (not negative, zero unless transposed) each.");
            return;
        }

        var (input, weight) = (operands[convolution.Input].Shape, operands[convolution.Weight].Shape);
        var expected = convolution.OutputShape(input, weight);
        if (expected is null || expected != result.Shape)
        {
            errors.Error(result.Name, $"convolves {input} with {weight} into {result.Shape}; expected {expected?.ToString() ?? "channels and groups that fit together"}.");
            return;
        }

        if (convolution.Bias is { } bias && operands[bias].Shape != Shape.Of(result.Shape[1]))
        {
            errors.Error(result.Name, $"adds %{bias} of shape {operands[bias].Shape}; a convolution's bias has one element per output channel, [{result.Shape[1].ToString(System.Globalization.CultureInfo.InvariantCulture)}].");
        }
    }

    private static void CheckPool(PoolOp pool, Shape source, DiagnosticBag errors)
    {
        var result = pool.Result;
        var rank = pool.SpatialRank;
        if (rank is < 1 or > 3 || pool.Stride.Length != rank || pool.Padding.Length != rank || pool.Dilation.Length != rank || source.Rank < rank + 1)
        {
            errors.Error(result.Name, Invariant($"pools {rank} spatial axes of {source} with {pool.Stride.Length} strides, {pool.Padding.Length} paddings, {pool.Dilation.Length} dilations; expected 1 to 3 of each and a leading axis."));
            return;
        }

        if (pool.KernelSize.Any(k => k < 1) || pool.Stride.Any(s => s < 1) || pool.Dilation.Any(d => d < 1) || pool.Padding.Any(p => p < 0)
            || (pool.Kind == PoolKind.Average && pool.Dilation.Any(d => d != 1)) || pool.DivisorOverride is <= 0)
        {
            errors.Error(result.Name, $"{pool.Describe()}: kernel, stride and dilation must be positive, padding not negative, average pooling undilated, a divisor positive.");
            return;
        }

        if (pool.OutputShape(source) is var expected && (expected != result.Shape || expected.Extents.Any(e => e < 1)))
        {
            errors.Error(result.Name, $"pools {source} into {result.Shape}; expected {expected}, every extent at least 1.");
        }
    }

    private static void CheckMatmul(MatmulOp matmul, Dictionary<string, IRValue> operands, DiagnosticBag errors)
    {
        var result = matmul.Result;
        var left = MatmulOp.Logical(operands[matmul.Left].Shape, matmul.TransposeLeft);
        var right = MatmulOp.Logical(operands[matmul.Right].Shape, matmul.TransposeRight);
        var batched = left.Rank == 3;
        if (left.Rank is not (2 or 3) || right.Rank != left.Rank || (batched && left[0] != right[0]) || left[^1] != right[^2]
            || result.Shape != Shape.Of([.. left.Extents[..^1], right[^1]]))
        {
            errors.Error(result.Name, $"multiplies {left} by {right} into {result.Shape}; expected [M, K] @ [K, N] → [M, N], or the same with one batch axis.");
            return;
        }

        if (matmul.Bias is { } bias && (batched || !Broadcasting.BroadcastsTo(operands[bias].Shape, result.Shape)))
        {
            errors.Error(result.Name, $"adds %{bias} of shape {operands[bias].Shape} to {result.Shape}; a bias must broadcast to a 2-D product.");
        }
    }

    private static void CheckReduction(ReductionOp reduction, Shape source, DiagnosticBag errors)
    {
        var result = reduction.Result;
        if (reduction.Axis < 0 || reduction.Axis >= source.Rank)
        {
            errors.Error(result.Name, Invariant($"reduces axis {reduction.Axis} of a rank-{source.Rank} tensor."));
            return;
        }

        var dropped = Shape.Of([.. source.Extents.RemoveAt(reduction.Axis)]);
        var kept = Shape.Of([.. source.Extents.SetItem(reduction.Axis, 1)]);
        if (result.Shape != dropped && result.Shape != kept)
        {
            errors.Error(result.Name, Invariant($"reduces {source} over axis {reduction.Axis} but has shape {result.Shape}; expected {dropped} or {kept}."));
        }
    }

    private static void CheckRowOperation(Operation operation, Dictionary<string, IRValue> operands, DiagnosticBag errors)
    {
        var result = operation.Result;
        var source = operands[operation.Operands[0]];
        if (source.Shape != result.Shape || result.Shape.Rank == 0)
        {
            errors.Error(result.Name, $"normalizes rows of {source.Shape} but has shape {result.Shape}; expected the source's shape, rank 1 or more.");
        }

        foreach (var vector in operation.Operands.Skip(1).Select(name => operands[name]))
        {
            if (vector.Shape.ElementCount != result.Shape.Last || vector.Shape.Extents.SkipLast(1).Any(e => e != 1))
            {
                errors.Error(result.Name, Invariant($"scales rows of length {result.Shape.Last} by %{vector.Name} of shape {vector.Shape}."));
            }
        }
    }
}
