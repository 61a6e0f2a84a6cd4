using KernelForge.Core;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Gathers by class labels and the losses built on them: gather, take_along_dim, nll_loss_forward, multi_margin_loss.</summary>
/// <remarks>
/// From native_functions.yaml: <c>gather(self, dim, index, *, sparse_grad=False)</c>, <c>take_along_dim(self, indices, dim=None)</c>,
/// <c>nll_loss_forward(self, target, weight, reduction, ignore_index) -&gt; (output, total_weight)</c>,
/// <c>multi_margin_loss(self, target, p=1, margin=1, weight=None, reduction=Mean)</c>. Core ATen decomposes the two losses into
/// gathers itself (<c>torch/_decomp/decompositions.py</c>); they are read too, written out the same way, for graphs that keep
/// them (torch 1.13 keeps multi_margin_loss). Reductions are 0 none, 1 mean, 2 sum. Class weights are not supported yet.
/// </remarks>
internal sealed partial class AtenImporter
{
    private bool ImportGather(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims) & TryTensor(node, 2, "index", out var index)
            & TryBool(node, KeywordOnly, "sparse_grad", false, out _);
        if (!ok || dims is not [var dim])
        {
            return ok && Unsupported(node, "dim must be one integer");
        }

        return TryAxis(node, dim, x.Shape.Rank, out var axis) && Gather(node, x, index, axis, node.Name, registerAsNode: true) is not null;
    }

    /// <summary><c>take_along_dim</c>: a gather when the indices have the input's extents off the axis, or of both flattened when dim is None.</summary>
    private bool ImportTakeAlongDim(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryTensor(node, 1, "indices", out var index) & TryIntList(node, 2, "dim", out var dims);
        if (!ok)
        {
            return false;
        }

        if (dims is null)
        {
            var flat = View(node, x, Shape.Of(x.Shape.ElementCount), "flat");
            var flatIndex = View(node, index, Shape.Of(index.Shape.ElementCount), "flat");
            return Gather(node, flat, flatIndex, 0, node.Name, registerAsNode: true) is not null;
        }

        if (dims is not [var dim] || !TryAxis(node, dim, x.Shape.Rank, out var axis))
        {
            return dims is [_] ? false : Unsupported(node, "dim must be one integer or None");
        }

        if (index.Shape.Rank != x.Shape.Rank || Enumerable.Range(0, x.Shape.Rank).Any(d => d != axis && index.Shape[d] != x.Shape[d]))
        {
            return Unsupported(node, $"indices {index.Shape} that broadcast against the input {x.Shape} (only the input's extents off dim {axis} are handled)");
        }

        return Gather(node, x, index, axis, node.Name, registerAsNode: true) is not null;
    }

    /// <summary>
    /// <c>nll_loss_forward</c> as core ATen's decomposition writes it: <c>loss = where(target != ignore_index, -self.gather(C, target), 0)</c>;
    /// the output is the loss (none), its sum (sum), or its sum over the count of kept targets (mean), and total_weight that
    /// count (0 for none). The gather reads the int64 target itself: an ignored target out of range gives NaN, which the where drops.
    /// </summary>
    private bool ImportNllLoss(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryTensor(node, 1, "target", out var target) & TryOptionalTensor(node, 2, "weight", out var weight)
            & TryIntList(node, 3, "reduction", out var reductions) & TryIntList(node, 4, "ignore_index", out var ignores);
        if (!ok)
        {
            return false;
        }

        if (weight is not null || reductions is not [var reduction and >= 0 and <= 2] || ignores is not [var ignore] || Math.Abs(ignore) >= IotaOp.ExactLimit)
        {
            return Unsupported(node, "a class weight, or a reduction other than none, mean or sum, or an ignore_index beyond 2^24 in magnitude");
        }

        if (x.Shape.Rank is not (1 or 2) || target.Shape.Rank != x.Shape.Rank - 1 || (x.Shape.Rank == 2 && target.Shape[0] != x.Shape[0]) || !IsLabel(target))
        {
            _diagnostics.Error(node.Name, $"{node.Target} takes log-probabilities [N, C] or [C] and int64 targets [N] or []; got {x} and {target}.");
            return false;
        }

        var column = View(node, target, Shape.Of([.. target.Shape.Extents, 1]), "column");
        if (Gather(node, x, column, x.Shape.Rank - 1, FreshName(node.Name + "_picked"), registerAsNode: false) is not { } picked)
        {
            return false;
        }

        var e = new Elementwise(this, node, target.Shape);
        var kept = e.Binary(BinaryOpKind.NotEqual, AsNumbers(node, target), Constant(node, ignore));
        var loss = e.Select(kept, e.Unary(UnaryOpKind.Neg, View(node, picked, target.Shape, "flat")), Constant(node, 0));
        IRValue output, totalWeight;
        if (reduction == 0)
        {
            (output, totalWeight) = (loss, Constant(node, 0));
        }
        else
        {
            totalWeight = SumAll(node, e.Select(kept, Constant(node, 1), Constant(node, 0)), "total_weight");
            output = SumAll(node, loss, "sum");
            if (reduction == 1)
            {
                output = Emit(node, new BinaryOp(new IRValue(FreshName(node.Name + "_mean"), Shape.Scalar, DataType.Float32), BinaryOpKind.Div, output.Name, totalWeight.Name), isNodeResult: false);
            }
        }

        CheckMeta(node, output, node.Results[0]);
        if (node.Results.Length > 1)
        {
            CheckMeta(node, totalWeight, node.Results[1]);
        }

        _tuples[node.Name] = [(output, null), (totalWeight, null)];
        return true;
    }

    /// <summary>
    /// <c>multi_margin_loss</c> as core ATen's decomposition writes it: <c>z = max(margin - x.gather(1, t) + x, 0)</c> (squared for p 2),
    /// zero at each row's target class, then the mean over the classes per sample (none), the mean of everything (mean), or the
    /// sum over the class count (sum).
    /// </summary>
    private bool ImportMultiMarginLoss(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryTensor(node, 1, "target", out var target) & TryNumber(node, 2, "p", 1, out var p)
            & TryNumber(node, 3, "margin", 1, out var margin) & TryOptionalTensor(node, 4, "weight", out var weight) & TryIntList(node, 5, "reduction", out var reductions);
        if (!ok)
        {
            return false;
        }

        var reduction = reductions is [var r] ? r : 1;
        if (weight is not null || p is not (1.0 or 2.0) || margin is null || reduction is < 0 or > 2)
        {
            return Unsupported(node, "a class weight, or p other than 1 and 2, or a reduction other than none, mean or sum");
        }

        var (rows, classes) = x.Shape.Rank == 2 ? (x.Shape[0], x.Shape[1]) : (1L, x.Shape.Rank == 1 ? x.Shape[0] : 0L);
        if (classes == 0 || target.Shape.ElementCount != rows || target.Shape.Rank > 1 || !IsLabel(target))
        {
            _diagnostics.Error(node.Name, $"{node.Target} takes scores [N, C] or [C] and int64 targets of N elements; got {x} and {target}.");
            return false;
        }

        if (!IotaOp.StaysExact(0, 1, classes))
        {
            return Unsupported(node, Invariant($"{classes} classes (class ids are compared as float32, exact below 2^24)"));
        }

        var shape = Shape.Of(rows, classes);
        var scores = View(node, x, shape, "rows");
        var column = View(node, target, Shape.Of(rows, 1), "column");
        if (Gather(node, scores, column, 1, FreshName(node.Name + "_picked"), registerAsNode: false) is not { } picked)
        {
            return false;
        }

        var e = new Elementwise(this, node, shape);
        var z = e.Binary(BinaryOpKind.Maximum, e.Binary(BinaryOpKind.Add, e.Binary(BinaryOpKind.Sub, Constant(node, margin.Value), picked), scores), Constant(node, 0));
        z = p == 2.0 ? e.Binary(BinaryOpKind.Mul, z, z) : z;
        var classIds = Emit(node, new IotaOp(new IRValue(FreshName(node.Name + "_classes"), Shape.Of(classes), DataType.Float32), 0, 1), isNodeResult: false);
        z = e.Select(e.Binary(BinaryOpKind.NotEqual, classIds, AsNumbers(node, column)), z, Constant(node, 0));
        var result = reduction switch
        {
            0 => Reduce(node, z, [1], keepdim: false, ReductionKind.Mean, registerAsNode: false, FreshName(node.Name + "_per_sample")),
            1 => Reduce(node, z, null, keepdim: false, ReductionKind.Mean, registerAsNode: false, FreshName(node.Name + "_mean")),
            _ => Reduce(node, z, null, keepdim: false, ReductionKind.Sum, registerAsNode: false, FreshName(node.Name + "_sum")) is { } sum
                ? e.Div(sum, classes) : null,
        };
        if (result is null)
        {
            return false;
        }

        Emit(node, new ReshapeOp(new IRValue(node.Name, reduction == 0 ? target.Shape : Shape.Scalar, DataType.Float32), result.Name));
        return true;
    }

    /// <summary>
    /// <c>gather(x, axis, index)</c> into <paramref name="resultName"/>: an int64 index (read as such), or float32 labels or
    /// aranges (integers; the axis then has at most 2^24 positions), of x's rank and no larger off the axis. The result has
    /// the index's shape, or <paramref name="shape"/>, to which the index broadcasts off the axis (<see cref="GatherOp"/>).
    /// </summary>
    private IRValue? Gather(ExportedNode node, IRValue x, IRValue index, int axis, string resultName, bool registerAsNode, Shape? shape = null)
    {
        var result = shape ?? index.Shape;
        if (!AreFloat32(node, x))
        {
            return null;
        }

        var integral = index.DataType == DataType.Int64 || (index.DataType == DataType.Float32 && (_labels.Contains(index.Name) || _exactIntegers.Contains(index.Name)));
        if (!integral || index.Shape.ElementCount == 0)
        {
            Unsupported(node, integral ? "an empty index" : $"a {index.DataType.ToProtocolName()} index (torch gathers by int64 indices)");
            return null;
        }

        if (x.Shape.Rank == 0 || index.Shape.Rank != x.Shape.Rank || result.Rank != x.Shape.Rank
            || Enumerable.Range(0, x.Shape.Rank).Any(d => (d != axis && result[d] > x.Shape[d]) || (index.Shape[d] != result[d] && (d == axis || index.Shape[d] != 1))))
        {
            _diagnostics.Error(node.Name, $"{node.Target}: an index of shape {index.Shape} does not fit {x.Shape} along dim {axis}; torch refuses it too.");
            return null;
        }

        if (index.DataType == DataType.Float32 && x.Shape[axis] > IotaOp.ExactLimit)
        {
            Unsupported(node, Invariant($"a converted index into {x.Shape[axis]} positions (float32 holds positions exactly up to 2^24)"));
            return null;
        }

        return Emit(node, new GatherOp(new IRValue(resultName, result, DataType.Float32), x.Name, index.Name, axis), registerAsNode);
    }

    /// <summary>
    /// <paramref name="value"/> seen as <paramref name="shape"/> (the same elements): itself when the shape is its own. A view
    /// of labels or of exact integers is one too, so a gather can still take it as an index.
    /// </summary>
    private IRValue View(ExportedNode node, IRValue value, Shape shape, string what)
    {
        if (value.Shape == shape)
        {
            return value;
        }

        var view = Emit(node, new ReshapeOp(new IRValue(FreshName(value.Name + "_" + what), shape, value.DataType), value.Name), isNodeResult: false);
        if (_labels.Contains(value.Name))
        {
            _labels.Add(view.Name);
        }

        if (_exactIntegers.Contains(value.Name))
        {
            _exactIntegers.Add(view.Name);
        }

        return view;
    }

    /// <summary>The sum of every element of <paramref name="value"/> (itself when it is 0-d), a helper named after the node.</summary>
    private IRValue SumAll(ExportedNode node, IRValue value, string what) => value.Shape.Rank == 0
        ? value
        : Reduce(node, value, null, keepdim: false, ReductionKind.Sum, registerAsNode: false, FreshName(node.Name + "_" + what))!;
}
