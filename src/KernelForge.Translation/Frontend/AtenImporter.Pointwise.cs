using System.Collections.Frozen;
using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>Elementwise ATen ops: activations, arithmetic with tensors or Python scalars (remainder and fmod too), clamps by numbers or tensors.</summary>
internal sealed partial class AtenImporter
{
    private static readonly FrozenDictionary<string, UnaryOpKind> UnaryTargets = new Dictionary<string, UnaryOpKind>
    {
        ["aten.relu.default"] = UnaryOpKind.Relu,
        ["aten.sigmoid.default"] = UnaryOpKind.Sigmoid,
        ["aten.tanh.default"] = UnaryOpKind.Tanh,
        ["aten.exp.default"] = UnaryOpKind.Exp,
        ["aten.log.default"] = UnaryOpKind.Log,
        ["aten.sqrt.default"] = UnaryOpKind.Sqrt,
        ["aten.rsqrt.default"] = UnaryOpKind.Rsqrt,
        ["aten.neg.default"] = UnaryOpKind.Neg,
        ["aten.abs.default"] = UnaryOpKind.Abs,
        ["aten.reciprocal.default"] = UnaryOpKind.Reciprocal,
        ["aten.erf.default"] = UnaryOpKind.Erf,
        ["aten.silu.default"] = UnaryOpKind.Silu,
        ["aten.expm1.default"] = UnaryOpKind.Expm1,
        ["aten.log1p.default"] = UnaryOpKind.Log1p,
        ["aten.logical_not.default"] = UnaryOpKind.LogicalNot,
        ["aten.log2.default"] = UnaryOpKind.Log2,
        ["aten.log10.default"] = UnaryOpKind.Log10,
        ["aten.exp2.default"] = UnaryOpKind.Exp2,
        ["aten.sin.default"] = UnaryOpKind.Sin,
        ["aten.cos.default"] = UnaryOpKind.Cos,
        ["aten.tan.default"] = UnaryOpKind.Tan,
        ["aten.atan.default"] = UnaryOpKind.Atan,
        ["aten.sinh.default"] = UnaryOpKind.Sinh,
        ["aten.cosh.default"] = UnaryOpKind.Cosh,
        ["aten.erfc.default"] = UnaryOpKind.Erfc,
        ["aten.floor.default"] = UnaryOpKind.Floor,
        ["aten.ceil.default"] = UnaryOpKind.Ceil,
        ["aten.round.default"] = UnaryOpKind.Round,
        ["aten.trunc.default"] = UnaryOpKind.Trunc,
        ["aten.sign.default"] = UnaryOpKind.Sign,
        ["aten.isnan.default"] = UnaryOpKind.IsNan,
        ["aten.isinf.default"] = UnaryOpKind.IsInf,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, BinaryOpKind> BinaryTargets = new Dictionary<string, BinaryOpKind>
    {
        ["aten.add.Tensor"] = BinaryOpKind.Add,
        ["aten.add.Scalar"] = BinaryOpKind.Add,
        ["aten.sub.Tensor"] = BinaryOpKind.Sub,
        ["aten.sub.Scalar"] = BinaryOpKind.Sub,
        ["aten.rsub.Scalar"] = BinaryOpKind.Sub,  // other - alpha * self: operands swapped in ImportBinary
        ["aten.rsub.Tensor"] = BinaryOpKind.Sub,
        ["aten.mul.Tensor"] = BinaryOpKind.Mul,
        ["aten.mul.Scalar"] = BinaryOpKind.Mul,
        ["aten.div.Tensor"] = BinaryOpKind.Div,
        ["aten.div.Scalar"] = BinaryOpKind.Div,
        ["aten.div.Tensor_mode"] = BinaryOpKind.Div,
        ["aten.maximum.default"] = BinaryOpKind.Maximum,
        ["aten.minimum.default"] = BinaryOpKind.Minimum,
        ["aten.pow.Tensor_Scalar"] = BinaryOpKind.Pow,
        ["aten.pow.Tensor_Tensor"] = BinaryOpKind.Pow,
        ["aten.pow.Scalar"] = BinaryOpKind.Pow,
        ["aten.remainder.Tensor"] = BinaryOpKind.Remainder,
        ["aten.remainder.Scalar"] = BinaryOpKind.Remainder,
        ["aten.remainder.Scalar_Tensor"] = BinaryOpKind.Remainder,
        ["aten.fmod.Tensor"] = BinaryOpKind.Fmod,
        ["aten.fmod.Scalar"] = BinaryOpKind.Fmod,
        ["aten.gt.Tensor"] = BinaryOpKind.Greater,
        ["aten.gt.Scalar"] = BinaryOpKind.Greater,
        ["aten.lt.Tensor"] = BinaryOpKind.Less,
        ["aten.lt.Scalar"] = BinaryOpKind.Less,
        ["aten.ge.Tensor"] = BinaryOpKind.GreaterEqual,
        ["aten.ge.Scalar"] = BinaryOpKind.GreaterEqual,
        ["aten.le.Tensor"] = BinaryOpKind.LessEqual,
        ["aten.le.Scalar"] = BinaryOpKind.LessEqual,
        ["aten.eq.Tensor"] = BinaryOpKind.Equal,
        ["aten.eq.Scalar"] = BinaryOpKind.Equal,
        ["aten.ne.Tensor"] = BinaryOpKind.NotEqual,
        ["aten.ne.Scalar"] = BinaryOpKind.NotEqual,
        ["aten.logical_and.default"] = BinaryOpKind.LogicalAnd,
        ["aten.logical_or.default"] = BinaryOpKind.LogicalOr,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private bool ImportUnary(ExportedNode node, UnaryOpKind kind)
    {
        if (!TryTensor(node, 0, "self", out var x))
        {
            return false;
        }

        Emit(node, new UnaryOp(x with { Name = node.Name, DataType = UnaryOp.IsPredicate(kind) ? DataType.Bool : x.DataType }, kind, x.Name));
        return true;
    }

    /// <summary>
    /// <c>~mask</c>, <c>mask &amp; other</c>, <c>mask | other</c> on bool tensors are the logical ops (torch writes a tril mask's
    /// complement this way: <c>masked_fill(~mask, -inf)</c>); on integers they are bit operations, which kernels do not do.
    /// </summary>
    private bool ImportBoolBitwise(ExportedNode node)
    {
        var operands = node.Target == "aten.bitwise_not.default" ? 1 : 2;
        for (var i = 0; i < operands; i++)
        {
            if (!TryTensor(node, i, i == 0 ? "self" : "other", out var value))
            {
                return false;
            }

            if (value.DataType != DataType.Bool)
            {
                return Unsupported(node, $"{node.Target} of a {value.DataType} tensor (bit operations on integers)");
            }
        }

        return node.Target switch
        {
            "aten.bitwise_not.default" => ImportUnary(node, UnaryOpKind.LogicalNot),
            "aten.bitwise_and.Tensor" => ImportBinary(node, BinaryOpKind.LogicalAnd),
            _ => ImportBinary(node, BinaryOpKind.LogicalOr),
        };
    }

    private bool ImportGelu(ExportedNode node)
    {
        var kind = node.Argument(KeywordOnly, "approximate") switch
        {
            null or TextArgument { Value: "none", Tag: null } => (UnaryOpKind?)UnaryOpKind.Gelu,
            TextArgument { Value: "tanh", Tag: null } => UnaryOpKind.GeluTanh,
            _ => null,
        };
        return kind is { } k ? ImportUnary(node, k) : Unsupported(node, $"approximate={Describe(node.Argument(KeywordOnly, "approximate"))}");
    }

    private bool ImportBinary(ExportedNode node, BinaryOpKind kind)
    {
        var rightName = kind == BinaryOpKind.Pow ? "exponent" : "other";
        if (node.Target == "aten.div.Tensor_mode" && node.Argument(KeywordOnly, "rounding_mode") is not (null or NoneArgument))
        {
            return Unsupported(node, "division with a rounding mode");
        }

        if (!TryOperand(node, 0, "self", out var left) | !TryOperand(node, 1, rightName, out var right)
            | !TryNumber(node, 2, "alpha", 1.0, out var alpha))
        {
            return false;
        }

        if (kind is >= BinaryOpKind.Greater and <= BinaryOpKind.NotEqual && (IsLabel(left) || IsLabel(right)))
        {
            // Labels against integers (ignore_index, an arange of class ids): compared as float32, which is exact here.
            if (!ComparesLikeTorch(node, left, right))
            {
                return false;
            }

            (left, right) = (AsNumbers(node, left), AsNumbers(node, right));
        }

        if (!BinaryOp.IsPredicate(kind))
        {
            // torch promotes a bool operand of arithmetic to 0/1 (x * mask).
            (left, right) = (BoolAsNumbers(node, left), BoolAsNumbers(node, right));
        }

        if (Broadcasting.Broadcast(left.Shape, right.Shape) is not { } shape)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: shapes {left.Shape} and {right.Shape} do not broadcast.");
            return false;
        }

        if (node.Target.StartsWith("aten.rsub.", StringComparison.Ordinal))
        {
            // torch.rsub(self, other, alpha) = other - alpha * self.
            (left, right) = (right, left);
        }

        if (alpha != 1.0 && kind is BinaryOpKind.Add or BinaryOpKind.Sub)
        {
            // torch: self + alpha * other (for rsub, the swapped self).
            var scaled = new IRValue(FreshName(node.Name + "_alpha"), right.Shape, right.DataType);
            right = Emit(node, new BinaryOp(scaled, BinaryOpKind.Mul, right.Name, Constant(node, alpha!.Value).Name), isNodeResult: false);
        }

        Emit(node, new BinaryOp(new IRValue(node.Name, shape, BinaryOp.IsPredicate(kind) ? DataType.Bool : left.DataType), kind, left.Name, right.Name));
        return true;
    }

    private bool ImportClamp(ExportedNode node)
    {
        var (minName, maxName, minDefault, maxDefault) = node.Target == "aten.hardtanh.default"
            ? ("min_val", "max_val", -1.0, 1.0)
            : ("min", "max", (double?)null, (double?)null);
        double? min = null, max = null;
        var ok = TryTensor(node, 0, "self", out var x) & node.Target switch
        {
            "aten.clamp_min.default" => TryNumber(node, 1, minName, null, out min),
            "aten.clamp_max.default" => TryNumber(node, 1, maxName, null, out max),
            _ => TryNumber(node, 1, minName, minDefault, out min) & TryNumber(node, 2, maxName, maxDefault, out max),
        };
        if (!ok)
        {
            return false;
        }

        // torch.clamp keeps NaN inputs NaN; Maximum/Minimum propagate NaN, and the bounds are numbers.
        var current = x;
        foreach (var (bound, kind) in new[] { (min, BinaryOpKind.Maximum), (max, BinaryOpKind.Minimum) })
        {
            if (bound is { } b)
            {
                var last = kind == BinaryOpKind.Minimum || max is null;
                var result = new IRValue(last ? node.Name : FreshName(node.Name + "_lower"), x.Shape, x.DataType);
                current = Emit(node, new BinaryOp(result, kind, current.Name, Constant(node, b).Name), isNodeResult: last);
            }
        }

        if (current == x)
        {
            Emit(node, new UnaryOp(x with { Name = node.Name }, UnaryOpKind.Identity, x.Name));
        }

        return true;
    }

    /// <summary>
    /// <c>clamp.Tensor(self, min=None, max=None)</c>, <c>clamp_min.Tensor(self, min)</c>, <c>clamp_max.Tensor(self, max)</c>:
    /// bounds that are tensors, broadcast with self (the result takes the broadcast shape, as torch's ternary iterator does).
    /// </summary>
    /// <remarks>
    /// ATen's CUDA <c>clamp_kernel_impl</c> returns self if it is NaN, else a NaN bound, else <c>min(max(self, min), max)</c>;
    /// with one bound it is <c>maximum</c> or <c>minimum</c>. NaN-propagating maximum then minimum gives NaN in exactly those
    /// cases, and <c>max</c> where the bounds cross (min &gt; max), as ATen does.
    /// </remarks>
    private bool ImportClampTensor(ExportedNode node)
    {
        IRValue? min = null, max = null;
        var ok = TryTensor(node, 0, "self", out var x) & node.Target switch
        {
            "aten.clamp_min.Tensor" => TryOptionalOperand(node, 1, "min", out min),
            "aten.clamp_max.Tensor" => TryOptionalOperand(node, 1, "max", out max),
            _ => TryOptionalOperand(node, 1, "min", out min) & TryOptionalOperand(node, 2, "max", out max),
        };
        if (!ok || !AreFloat32(node, [x, .. new[] { min, max }.OfType<IRValue>()]))
        {
            return false;
        }

        if (min is null && max is null)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: both bounds are None; torch refuses it too (\"At least one of 'min' or 'max' must not be None\").");
            return false;
        }

        var shape = x.Shape;
        foreach (var bound in new[] { min, max }.OfType<IRValue>())
        {
            if (Broadcasting.Broadcast(shape, bound.Shape) is not { } broadcast)
            {
                _diagnostics.Error(node.Name, $"{node.Target}: shapes {x.Shape}, {min?.Shape.ToString() ?? "None"} and {max?.Shape.ToString() ?? "None"} do not broadcast.");
                return false;
            }

            shape = broadcast;
        }

        var current = x;
        if (min is not null)
        {
            var lower = new IRValue(max is null ? node.Name : FreshName(node.Name + "_lower"), max is null ? shape : Broadcasting.Broadcast(x.Shape, min.Shape)!, DataType.Float32);
            current = Emit(node, new BinaryOp(lower, BinaryOpKind.Maximum, current.Name, min.Name), isNodeResult: max is null);
        }

        if (max is not null)
        {
            Emit(node, new BinaryOp(new IRValue(node.Name, shape, DataType.Float32), BinaryOpKind.Minimum, current.Name, max.Name));
        }

        return true;
    }

    /// <summary>An optional tensor argument (None or absent: null); a Python number is made a 0-d constant, as for <see cref="TryOperand"/>.</summary>
    private bool TryOptionalOperand(ExportedNode node, int index, string name, out IRValue? value)
    {
        value = null;
        if (node.Argument(index, name) is null or NoneArgument)
        {
            return true;
        }

        var ok = TryOperand(node, index, name, out var operand);
        value = ok ? operand : null;
        return ok;
    }
}
