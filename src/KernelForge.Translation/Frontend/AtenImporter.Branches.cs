using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>
/// <c>where</c>, <c>masked_fill</c>, <c>scalar_tensor</c>, and the activations with a branch, written as comparisons and selects
/// that fuse into one elementwise kernel.
/// </summary>
/// <remarks>
/// Core-ATen decomposition writes elu, softplus, hardsigmoid, mish… this way itself; the activation targets are read too, for
/// graphs that keep them, with ATen's CUDA formulas: elu <c>x &gt; 0 ? x·scale : expm1(x·input_scale)·alpha·scale</c>, leaky_relu
/// <c>x &gt; 0 ? x : x·slope</c>, softplus <c>x·β &gt; threshold ? x : log1p(exp(x·β)) / β</c>, hardsigmoid <c>min(max(x + 3, 0), 6) / 6</c>,
/// mish <c>x · tanh(log1p(exp(x)))</c>, threshold <c>x &lt;= t ? value : x</c>.
/// </remarks>
internal sealed partial class AtenImporter
{
    // torch.nn.SELU's constants (torch/nn/modules/activation.py, from Klambauer et al. 2017).
    private const double SeluAlpha = 1.6732632423543772848170429916717;
    private const double SeluScale = 1.0507009873554804934193349852946;

    private bool ImportWhere(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "condition", out var condition) & TryOperand(node, 1, "self", out var ifTrue) & TryOperand(node, 2, "other", out var ifFalse);
        return ok && Select(node, condition, ifTrue, ifFalse);
    }

    private bool ImportMaskedFill(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryTensor(node, 1, "mask", out var mask) & TryOperand(node, 2, "value", out var value);
        return ok && Select(node, mask, value, x);
    }

    private bool Select(ExportedNode node, IRValue condition, IRValue ifTrue, IRValue ifFalse)
    {
        if (condition.DataType != DataType.Bool)
        {
            return Unsupported(node, $"a {condition.DataType.ToProtocolName()} condition (torch requires bool)");
        }

        if (IsLabel(ifTrue) || IsLabel(ifFalse))
        {
            // torch.where(target != ignore_index, target, 0): a label (or a float, as torch promotes) wherever it is kept.
            (ifTrue, ifFalse) = (AsNumbers(node, ifTrue), AsNumbers(node, ifFalse));
            if (node.Results is [{ DataType: "int64" or "int32" }])
            {
                _labels.Add(node.Name);
            }
        }

        if (!AreFloat32(node, ifTrue, ifFalse))
        {
            return false;
        }

        if (Broadcasting.Broadcast(condition.Shape, ifTrue.Shape) is not { } partial || Broadcasting.Broadcast(partial, ifFalse.Shape) is not { } shape)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: shapes {condition.Shape}, {ifTrue.Shape} and {ifFalse.Shape} do not broadcast.");
            return false;
        }

        Emit(node, new SelectOp(new IRValue(node.Name, shape, DataType.Float32), condition.Name, ifTrue.Name, ifFalse.Name));
        return true;
    }

    private bool ImportScalarTensor(ExportedNode node)
    {
        if (!TryNumber(node, 0, "s", null, out var value))
        {
            return false;
        }

        if (value is null)
        {
            return Unsupported(node, "`s` must be a number");
        }

        if (!IsExactIntegerFill(node, value.Value) && !IsFloat32OrAbsent(node, "dtype"))
        {
            return false;
        }

        Emit(node, new ConstantOp(new IRValue(node.Name, Shape.Scalar, DataType.Float32), value.Value));
        return true;
    }

    private bool ImportBranchActivation(ExportedNode node)
    {
        if (!TryTensor(node, 0, "self", out var x) || !AreFloat32(node, x))
        {
            return false;
        }

        var e = new Elementwise(this, node, x.Shape);
        switch (node.Target)
        {
            case "aten.elu.default" or "aten.selu.default":
            {
                var selu = node.Target == "aten.selu.default";
                double? alpha = SeluAlpha, scale = SeluScale, inputScale = 1.0;
                if (!selu && !(TryNumber(node, 1, "alpha", 1.0, out alpha) & TryNumber(node, 2, "scale", 1.0, out scale) & TryNumber(node, 3, "input_scale", 1.0, out inputScale)))
                {
                    return false;
                }

                var negative = e.Mul(e.Unary(UnaryOpKind.Expm1, e.Mul(x, inputScale!.Value)), alpha!.Value * scale!.Value);
                return e.Result(e.Select(e.Compare(BinaryOpKind.Greater, x, 0.0), e.Mul(x, scale.Value), negative));
            }

            case "aten.leaky_relu.default":
                return TryNumber(node, 1, "negative_slope", 0.01, out var slope)
                    && e.Result(e.Select(e.Compare(BinaryOpKind.Greater, x, 0.0), x, e.Mul(x, slope!.Value)));
            case "aten.softplus.default":
            {
                if (!(TryNumber(node, 1, "beta", 1.0, out var beta) & TryNumber(node, 2, "threshold", 20.0, out var threshold)))
                {
                    return false;
                }

                var scaled = e.Mul(x, beta!.Value);
                var smooth = e.Div(e.Unary(UnaryOpKind.Log1p, e.Unary(UnaryOpKind.Exp, scaled)), beta.Value);
                return e.Result(e.Select(e.Compare(BinaryOpKind.Greater, scaled, threshold!.Value), x, smooth));
            }

            case "aten.hardsigmoid.default":
                return e.Result(e.Div(e.Clamp(e.Add(x, 3.0), 0.0, 6.0), 6.0));
            case "aten.hardswish.default":
                return e.Result(e.Div(e.Binary(BinaryOpKind.Mul, x, e.Clamp(e.Add(x, 3.0), 0.0, 6.0)), 6.0));
            case "aten.mish.default":
                return e.Result(e.Binary(BinaryOpKind.Mul, x, e.Unary(UnaryOpKind.Tanh, e.Unary(UnaryOpKind.Log1p, e.Unary(UnaryOpKind.Exp, x)))));
            case "aten.threshold.default":
            {
                if (!(TryNumber(node, 1, "threshold", null, out var threshold) & TryNumber(node, 2, "value", null, out var value)) || threshold is null || value is null)
                {
                    return threshold is null || value is null ? Unsupported(node, "`threshold` and `value` must be numbers") : false;
                }

                return e.Result(e.Select(e.Compare(BinaryOpKind.LessEqual, x, threshold.Value), Constant(node, value.Value), x));
            }

            default:
                return Unsupported(node);
        }
    }

    /// <summary>
    /// <c>prelu(self, weight)</c> and <c>_prelu_kernel(self, weight)</c>: <c>x &gt; 0 ? x : weight·x</c>; a 1-d weight of the channel count
    /// applies per channel (axis 1), one of one element everywhere.
    /// </summary>
    private bool ImportPrelu(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryTensor(node, 1, "weight", out var weight)) || !AreFloat32(node, x, weight))
        {
            return false;
        }

        if (weight.Shape.Rank == 1 && x.Shape.Rank >= 2 && weight.Shape[0] == x.Shape[1] && weight.Shape[0] != 1)
        {
            weight = PerChannel(node, weight, x.Shape);
        }
        else if (!Broadcasting.BroadcastsTo(weight.Shape, x.Shape))
        {
            _diagnostics.Error(node.Name, $"{node.Target}: the weight {weight.Shape} fits neither the channels nor the shape of {x.Shape}.");
            return false;
        }

        var e = new Elementwise(this, node, x.Shape);
        return e.Result(e.Select(e.Compare(BinaryOpKind.Greater, x, 0.0), x, e.Binary(BinaryOpKind.Mul, weight, x)));
    }

    /// <summary>
    /// <c>mse_loss(self, target, reduction=mean)</c>, <c>smooth_l1_loss(…, beta=1)</c>, <c>huber_loss(…, delta=1)</c> as ATen defines them
    /// (for graphs that keep them; core ATen decomposes them into the same ops): an elementwise loss, then a mean (reduction 1),
    /// a sum (2), or nothing (0).
    /// </summary>
    private bool ImportPointwiseLoss(ExportedNode node)
    {
        var target = node.Target;
        double? parameter = 1.0;
        var ok = TryTensor(node, 0, "self", out var x) & TryTensor(node, 1, "target", out var y) & TryIntList(node, 2, "reduction", out var reductions)
            & (target == "aten.mse_loss.default" || TryNumber(node, 3, target == "aten.huber_loss.default" ? "delta" : "beta", 1.0, out parameter));
        if (!ok || !AreFloat32(node, x, y))
        {
            return false;
        }

        var reduction = reductions is [var r] ? r : 1;
        if (reduction is < 0 or > 2 || parameter is not > 0 || Broadcasting.Broadcast(x.Shape, y.Shape) is not { } shape)
        {
            return Unsupported(node, "a reduction of none, mean or sum, a positive beta or delta, and shapes that broadcast");
        }

        var e = new Elementwise(this, node, shape);
        var difference = e.Binary(BinaryOpKind.Sub, x, y);
        IRValue loss;
        if (target == "aten.mse_loss.default")
        {
            loss = e.Binary(BinaryOpKind.Mul, difference, difference);
        }
        else
        {
            var b = parameter!.Value;
            var distance = e.Unary(UnaryOpKind.Abs, difference);
            var quadratic = e.Mul(e.Binary(BinaryOpKind.Mul, distance, distance), target == "aten.huber_loss.default" ? 0.5 : 0.5 / b);
            var linear = target == "aten.huber_loss.default"
                ? e.Mul(e.Binary(BinaryOpKind.Sub, distance, Constant(node, 0.5 * b)), b)
                : e.Binary(BinaryOpKind.Sub, distance, Constant(node, 0.5 * b));
            loss = e.Select(e.Compare(BinaryOpKind.Less, distance, b), quadratic, linear);
        }

        return reduction == 0
            ? e.Result(loss)
            : Reduce(node, loss, dims: null, keepdim: false, reduction == 1 ? ReductionKind.Mean : ReductionKind.Sum, registerAsNode: true) is not null;
    }

    /// <summary>Builds an elementwise chain for one node: every step a helper value, the last registered as the node's result.</summary>
    private sealed class Elementwise(AtenImporter importer, ExportedNode node, Shape shape)
    {
        public IRValue Unary(UnaryOpKind kind, IRValue x) =>
            importer.Emit(node, new UnaryOp(new IRValue(importer.FreshName(node.Name + "_" + kind.ToString().ToLowerInvariant()), x.Shape, DataType.Float32), kind, x.Name), isNodeResult: false);

        public IRValue Binary(BinaryOpKind kind, IRValue left, IRValue right) =>
            importer.Emit(node, new BinaryOp(new IRValue(importer.FreshName(node.Name + "_" + kind.ToString().ToLowerInvariant()), shape, BinaryOp.IsPredicate(kind) ? DataType.Bool : DataType.Float32), kind, left.Name, right.Name), isNodeResult: false);

        public IRValue Mul(IRValue x, double factor) => factor == 1.0 ? x : Binary(BinaryOpKind.Mul, x, importer.Constant(node, factor));

        public IRValue Div(IRValue x, double divisor) => divisor == 1.0 ? x : Binary(BinaryOpKind.Div, x, importer.Constant(node, divisor));

        public IRValue Add(IRValue x, double term) => Binary(BinaryOpKind.Add, x, importer.Constant(node, term));

        public IRValue Compare(BinaryOpKind kind, IRValue x, double bound) => Binary(kind, x, importer.Constant(node, bound));

        public IRValue Clamp(IRValue x, double min, double max) =>
            Binary(BinaryOpKind.Minimum, Binary(BinaryOpKind.Maximum, x, importer.Constant(node, min)), importer.Constant(node, max));

        public IRValue Select(IRValue condition, IRValue ifTrue, IRValue ifFalse) =>
            importer.Emit(node, new SelectOp(new IRValue(importer.FreshName(node.Name + "_where"), shape, DataType.Float32), condition.Name, ifTrue.Name, ifFalse.Name), isNodeResult: false);

        /// <summary>Registers <paramref name="value"/> as the node's result: a free view under the node's name.</summary>
        public bool Result(IRValue value)
        {
            importer.Alias(node, value);
            return true;
        }
    }
}
