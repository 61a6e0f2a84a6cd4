using KernelForge.Core;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Matrix products (mm, bmm, addmm, matmul), transposes (folded into matmuls that read them) and general permutes.</summary>
internal sealed partial class AtenImporter
{
    private bool ImportMatmul(ExportedNode node)
    {
        var batched = node.Target == "aten.bmm.default";
        if (!(TryTensor(node, 0, "self", out var left) & TryTensor(node, 1, "mat2", out var right)) || !AreFloat32(node, left, right))
        {
            return false;
        }

        var rank = batched ? 3 : 2;
        if (left.Shape.Rank != rank || right.Shape.Rank != rank)
        {
            _diagnostics.Error(node.Name, Invariant($"{node.Target} multiplies rank-{rank} tensors; got {left.Shape} and {right.Shape}."));
            return false;
        }

        return Multiply(node, left, right, bias: null, node.Name) is not null;
    }

    /// <summary>
    /// <c>aten.addmm</c> (2-D) and <c>aten.baddbmm</c> (3-D, one batch): beta * self + alpha * (mat1 @ mat2). With beta = alpha = 1
    /// self is the product's bias (the GEMM's epilogue adds it); otherwise the scales are pointwise ops after the product, which
    /// fusion folds into its epilogue. beta = 0 ignores self, NaN included, as torch does.
    /// </summary>
    private bool ImportAddmm(ExportedNode node)
    {
        var batched = node.Target == "aten.baddbmm.default";
        var ok = TryTensor(node, 0, "self", out var bias) & TryTensor(node, 1, batched ? "batch1" : "mat1", out var left)
            & TryTensor(node, 2, batched ? "batch2" : "mat2", out var right)
            & TryNumber(node, KeywordOnly, "beta", 1.0, out var beta) & TryNumber(node, KeywordOnly, "alpha", 1.0, out var alpha);
        if (!ok || !AreFloat32(node, bias, left, right))
        {
            return false;
        }

        var rank = batched ? 3 : 2;
        if (left.Shape.Rank != rank || right.Shape.Rank != rank)
        {
            _diagnostics.Error(node.Name, $"{node.Target} multiplies {rank}-D tensors; got {left.Shape} and {right.Shape}.");
            return false;
        }

        if (beta == 1.0 && alpha == 1.0)
        {
            return Multiply(node, left, right, bias, node.Name) is not null;
        }

        if (Multiply(node, left, right, bias: null, FreshName(node.Name + "_product"), isNodeResult: false) is not { } product)
        {
            return false;
        }

        // beta = 0: alpha * product is the result.
        var ignoresSelf = beta == 0.0;
        var scaledProduct = Emit(node, new BinaryOp(new IRValue(ignoresSelf ? node.Name : FreshName(node.Name + "_alpha"), product.Shape, DataType.Float32), BinaryOpKind.Mul, product.Name, Constant(node, alpha!.Value).Name), isNodeResult: ignoresSelf);
        if (ignoresSelf)
        {
            return true;
        }

        if (Broadcasting.Broadcast(bias.Shape, product.Shape) != product.Shape)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: self {bias.Shape} does not broadcast to the product's {product.Shape}.");
            return false;
        }

        var scaledSelf = Emit(node, new BinaryOp(new IRValue(FreshName(node.Name + "_beta"), bias.Shape, DataType.Float32), BinaryOpKind.Mul, bias.Name, Constant(node, beta!.Value).Name), isNodeResult: false);
        Emit(node, new BinaryOp(new IRValue(node.Name, product.Shape, DataType.Float32), BinaryOpKind.Add, scaledSelf.Name, scaledProduct.Name));
        return true;
    }

    /// <summary>
    /// aten.matmul, which export usually decomposes into mm/bmm and views: 2-D @ 2-D, 3-D @ 3-D of one batch, and
    /// N-D @ 2-D (the leading axes flattened into rows). Vectors and batch broadcasting are refused.
    /// </summary>
    private bool ImportMatmulComposite(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var left) & TryTensor(node, 1, "other", out var right)) || !AreFloat32(node, left, right))
        {
            return false;
        }

        var (l, r) = (left.Shape, right.Shape);
        if ((l.Rank, r.Rank) is (2, 2) || (l.Rank == 3 && r.Rank == 3 && l[0] == r[0]))
        {
            return Multiply(node, left, right, bias: null, node.Name) is not null;
        }

        if (l.Rank > 2 && r.Rank == 2)
        {
            var rows = l.Extents[..^1].Aggregate(1L, (p, e) => p * e);
            var flat = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_rows"), Shape.Of(rows, l.Last), left.DataType), left.Name), isNodeResult: false);
            if (Multiply(node, flat, right, bias: null, FreshName(node.Name + "_mm"), isNodeResult: false) is not { } product)
            {
                return false;
            }

            Emit(node, new ReshapeOp(new IRValue(node.Name, Shape.Of([.. l.Extents[..^1], r.Last]), left.DataType), product.Name));
            return true;
        }

        return Unsupported(node, $"{l} @ {r} (only 2-D @ 2-D, 3-D @ 3-D of one batch size, and N-D @ 2-D are)");
    }

    private IRValue? Multiply(ExportedNode node, IRValue left, IRValue right, IRValue? bias, string name, bool isNodeResult = true)
    {
        var (l, r) = (left.Shape, right.Shape);
        if (l[^1] != r[^2] || (l.Rank == 3 && l[0] != r[0]))
        {
            _diagnostics.Error(node.Name, $"{node.Target}: cannot multiply {l} by {r}.");
            return null;
        }

        var shape = Shape.Of([.. l.Extents[..^1], r.Last]);
        if (bias is not null && !Broadcasting.BroadcastsTo(bias.Shape, shape))
        {
            _diagnostics.Error(node.Name, $"{node.Target}: the bias {bias.Shape} does not broadcast to the product's {shape}.");
            return null;
        }

        return Emit(node, new MatmulOp(new IRValue(name, shape, left.DataType), left.Name, right.Name, bias?.Name, TransposeLeft: false, TransposeRight: false), isNodeResult);
    }

    /// <summary>Matrix products of other dtypes are refused here, so the message names the op and not only the input.</summary>
    private bool AreFloat32(ExportedNode node, params IRValue[] operands) =>
        operands.FirstOrDefault(o => o.DataType != DataType.Float32) is not { } other
        || Unsupported(node, $"{other.DataType.ToProtocolName()} operands (only float32 is)");

    private bool ImportTranspose(ExportedNode node)
    {
        if (!TryTensor(node, 0, "self", out var x))
        {
            return false;
        }

        var rank = x.Shape.Rank;
        int[]? order = null;
        switch (node.Target)
        {
            case "aten.t.default" when rank > 2:
                return Unsupported(node, Invariant($"t() of a rank-{rank} tensor"));
            case "aten.t.default":
                order = rank == 2 ? [1, 0] : [.. Enumerable.Range(0, rank)];
                break;
            case "aten.transpose.int":
                if (!(TryIntList(node, 1, "dim0", out var dim0) & TryIntList(node, 2, "dim1", out var dim1)))
                {
                    return false;
                }

                if (dim0 is not [var d0] || dim1 is not [var d1] || !TryAxis(node, d0, rank, out var a0) || !TryAxis(node, d1, rank, out var a1))
                {
                    return dim0 is [_] && dim1 is [_] ? false : Unsupported(node, "dim0 and dim1 must be integers");
                }

                order = [.. Enumerable.Range(0, Math.Max(rank, 1))];
                (order[a0], order[a1]) = (order[a1], order[a0]);
                break;
            default:
                if (!TryIntList(node, 1, "dims", out var dims))
                {
                    return false;
                }

                var axes = new List<int>();
                foreach (var dim in dims ?? [])
                {
                    if (!TryAxis(node, dim, rank, out var axis))
                    {
                        return false;
                    }

                    axes.Add(axis);
                }

                order = [.. axes];
                break;
        }

        var identity = order.Select((axis, i) => axis == i).All(same => same);
        if ((order.Length != rank && !(rank == 0 && order.Length == 1)) || order.Distinct().Count() != order.Length)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: [{string.Join(", ", order)}] is not a permutation of the {x.Shape} tensor's dims.");
            return false;
        }

        if (identity || rank < 2)
        {
            Emit(node, new ReshapeOp(x with { Name = node.Name }, x.Name));
            return true;
        }

        var swapsLastTwo = order[^1] == rank - 2 && order[^2] == rank - 1 && order[..^2].Select((axis, i) => axis == i).All(same => same);
        if (!swapsLastTwo)
        {
            Emit(node, new PermuteOp(new IRValue(node.Name, PermuteOp.Permuted(x.Shape, order), x.DataType), x.Name, [.. order]));
            return true;
        }

        Emit(node, new TransposeOp(new IRValue(node.Name, MatmulOp.Logical(x.Shape, transposed: true), x.DataType), x.Name));
        return true;
    }
}
