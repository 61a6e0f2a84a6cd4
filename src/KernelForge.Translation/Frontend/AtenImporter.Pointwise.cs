using System.Collections.Frozen;
using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>Elementwise ATen ops: activations, arithmetic with tensors or Python scalars, clamps.</summary>
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
}
