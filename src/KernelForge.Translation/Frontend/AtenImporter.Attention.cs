using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>
/// Scaled dot-product attention in the spellings export leaves (the composite and the backend ops it picks: efficient,
/// flash, flash for CPU, cuDNN), written out as ops the translator already lowers: a batched product with K transposed,
/// the scale, an optional additive bias or causal mask, a row softmax, and a product with V.
/// </summary>
/// <remarks>
/// The scores are materialized ([batch·heads, L, S] floats): correct for any length, not a fused flash kernel. Dropout,
/// boolean masks, grouped-query broadcasting and the auxiliary results (logsumexp, RNG state) are refused.
/// </remarks>
internal sealed partial class AtenImporter
{
    private bool ImportAttention(ExportedNode node)
    {
        // (index of attn_mask/attn_bias or -1 when keyword-only or absent, index of dropout_p, index of is_causal)
        var (maskIndex, dropoutIndex, causalIndex) = node.Target switch
        {
            "aten.scaled_dot_product_attention.default" => (3, 4, 5),
            "aten._scaled_dot_product_efficient_attention.default" or "aten._scaled_dot_product_cudnn_attention.default" => (3, 5, 6),
            _ => (-1, 3, 4),  // flash (no mask) and flash_attention_for_cpu (attn_mask keyword-only)
        };
        var ok = TryTensor(node, 0, "query", out var q) & TryTensor(node, 1, "key", out var k) & TryTensor(node, 2, "value", out var v)
            & TryNumber(node, dropoutIndex, "dropout_p", 0, out var dropout) & TryBool(node, causalIndex, "is_causal", false, out var causal)
            & TryNumber(node, KeywordOnly, "scale", null, out var scale);
        var maskName = node.Target.Contains("efficient", StringComparison.Ordinal) || node.Target.Contains("cudnn", StringComparison.Ordinal) ? "attn_bias" : "attn_mask";
        ok &= TryOptionalTensor(node, maskIndex < 0 ? KeywordOnly : maskIndex, maskName, out var bias);
        if (!ok || !AreFloat32(node, q, k, v))
        {
            return false;
        }

        if (dropout is not 0.0)
        {
            return Unsupported(node, "dropout_p > 0 (attention with dropout is random; only inference attention is)");
        }

        if (node.Argument(KeywordOnly, "enable_gqa") is BoolArgument { Value: true })
        {
            return Unsupported(node, "enable_gqa (grouped-query broadcasting of K and V)");
        }

        if (causal && bias is not null)
        {
            return Unsupported(node, "is_causal together with a mask (torch refuses it too)");
        }

        var (qs, ks, vs) = (q.Shape, k.Shape, v.Shape);
        if (qs.Rank < 3 || ks.Rank != qs.Rank || vs.Rank != qs.Rank || !qs.Extents[..^2].SequenceEqual(ks.Extents[..^2])
            || !qs.Extents[..^2].SequenceEqual(vs.Extents[..^2]) || qs.Last != ks.Last || ks[^2] != vs[^2])
        {
            return Unsupported(node, $"query {qs}, key {ks}, value {vs} (only equal leading dims, [.., L, E] · [.., S, E] · [.., S, Ev], are)");
        }

        var batch = qs.Extents[..^2].Aggregate(1L, (p, e) => p * e);
        var (length, sourceLength, width) = (qs[^2], ks[^2], vs.Last);
        IRValue Flat(IRValue x) => Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_" + x.Name + "_3d"), Shape.Of(batch, x.Shape[^2], x.Shape.Last), DataType.Float32), x.Name), isNodeResult: false);
        var (q3, k3, v3) = (Flat(q), Flat(k), Flat(v));
        var scoresShape = Shape.Of(batch, length, sourceLength);
        var scores = Emit(node, new MatmulOp(new IRValue(FreshName(node.Name + "_scores"), scoresShape, DataType.Float32), q3.Name, k3.Name, null, TransposeLeft: false, TransposeRight: true), isNodeResult: false);
        var factor = Constant(node, scale ?? 1.0 / Math.Sqrt(qs.Last));
        var scaled = Emit(node, new BinaryOp(new IRValue(FreshName(node.Name + "_scaled"), scoresShape, DataType.Float32), BinaryOpKind.Mul, scores.Name, factor.Name), isNodeResult: false);
        if (bias is not null)
        {
            if (bias.DataType != DataType.Float32)
            {
                return Unsupported(node, $"a {bias.DataType.ToProtocolName()} {maskName} (only an additive float32 bias is)");
            }

            // A bias over all leading dims is flattened like the scores; a smaller one must already broadcast.
            var flatBias = bias.Shape.Rank == qs.Rank && bias.Shape.ElementCount == scoresShape.ElementCount
                ? Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_bias_3d"), scoresShape, DataType.Float32), bias.Name), isNodeResult: false)
                : bias;
            if (!Broadcasting.BroadcastsTo(flatBias.Shape, scoresShape))
            {
                return Unsupported(node, $"a {maskName} of shape {bias.Shape} for scores {Shape.Of([.. qs.Extents[..^1], sourceLength])}");
            }

            scaled = Emit(node, new BinaryOp(new IRValue(FreshName(node.Name + "_biased"), scoresShape, DataType.Float32), BinaryOpKind.Add, scaled.Name, flatBias.Name), isNodeResult: false);
        }

        if (causal)
        {
            // torch's causal mask is tril(ones(L, S)): key j is seen by query i when j <= i.
            var seen = TriangleMask(node, length, sourceLength, lower: true, diagonal: 0);
            var hidden = Constant(node, double.NegativeInfinity);
            scaled = Emit(node, new SelectOp(new IRValue(FreshName(node.Name + "_masked"), scoresShape, DataType.Float32), seen.Name, scaled.Name, hidden.Name), isNodeResult: false);
        }

        var weights = Emit(node, new RowSoftmaxOp(new IRValue(FreshName(node.Name + "_weights"), scoresShape, DataType.Float32), scaled.Name, IsLog: false), isNodeResult: false);
        var output3 = Emit(node, new MatmulOp(new IRValue(FreshName(node.Name + "_out3d"), Shape.Of(batch, length, width), DataType.Float32), weights.Name, v3.Name, null, TransposeLeft: false, TransposeRight: false), isNodeResult: false);
        var outputShape = Shape.Of([.. qs.Extents[..^1], width]);
        if (!node.IsTuple)
        {
            Emit(node, new ReshapeOp(new IRValue(node.Name, outputShape, DataType.Float32), output3.Name));
            return true;
        }

        var output = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_output"), outputShape, DataType.Float32), output3.Name), isNodeResult: false);
        CheckMeta(node, output, node.Results[0]);
        const string Reason = "the auxiliary results of attention (logsumexp, sequence offsets, RNG state; used for training) are not supported yet";
        _tuples[node.Name] = [(output, null), .. Enumerable.Repeat<(IRValue?, string?)>((null, Reason), Math.Max(node.Results.Length - 1, 1))];
        return true;
    }
}
