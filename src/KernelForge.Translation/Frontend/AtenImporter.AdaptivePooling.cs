using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Adaptive average and max pooling (<c>_adaptive_avg_pool*d</c>, <c>adaptive_max_pool*d</c>) over 1, 2 or 3 spatial axes.</summary>
/// <remarks>
/// Each takes the cheapest lowering that computes torch's windows exactly: no kernel when the output size is the input's;
/// a <see cref="PoolOp"/> (kernel = stride = I / O, no padding, so average's divisor is the window) when every extent
/// divides and the window is small enough to unroll; a mean or amax reduction over the plane when every output extent is 1
/// (global pooling, what the composite <c>adaptive_avg_pool2d</c> exports anyway); otherwise an <see cref="AdaptivePoolOp"/>.
/// Of <c>adaptive_max_pool*d</c>, which returns (values, indices), only the values are supported.
/// </remarks>
internal sealed partial class AtenImporter
{
    /// <summary>
    /// The largest window (elements) a divisible adaptive pooling becomes a <see cref="PoolOp"/> with. That kernel unrolls
    /// its window completely (<c>#pragma unroll</c> over constant bounds): fine for 8 x 8 or 4 x 4 x 4, code bloat and long
    /// builds for 32 x 32. Larger windows keep the <see cref="AdaptivePoolOp"/>'s loops.
    /// </summary>
    private const long MaxUnrolledAdaptiveWindow = 64;

    private bool ImportAdaptivePool(ExportedNode node, PoolKind kind)
    {
        var rank = SpatialRank(node.Target);
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "output_size", out var sizes)))
        {
            return false;
        }

        if (sizes is null or [])
        {
            return Unsupported(node, "`output_size` is missing");
        }

        if (Expand(node, "output_size", sizes, rank, [], "adaptive pooling") is not { } outputs)
        {
            return false;
        }

        if (x.Shape.Rank < rank + 1)
        {
            return Unsupported(node, Invariant($"a {rank}-d adaptive pooling of a rank-{x.Shape.Rank} tensor (it needs a channel axis, or batch and channel, before the {rank} spatial ones)"));
        }

        var inputs = x.Shape.Extents[^rank..];
        if (outputs.Any(o => o < 1) || inputs.Any(i => i < 1))
        {
            _diagnostics.Error(node.Name, Invariant($"{node.Target}: pooling {x.Shape} to `output_size` [{string.Join(", ", outputs.Select(o => IRPrinter.Number(o)))}] needs every output extent at least 1 and no empty spatial axis (torch refuses it too); check the module's output size and the input's shape."));
            return false;
        }

        var isMax = kind == PoolKind.Max;
        var result = new IRValue(node.Name, Shape.Of([.. x.Shape.Extents[..^rank], .. outputs]), x.DataType);
        var windows = inputs.Zip(outputs, (i, o) => i % o == 0 ? i / o : 0).ToImmutableArray();
        var values = outputs.SequenceEqual(inputs) ? Emit(node, new ReshapeOp(result, x.Name), isNodeResult: !isMax)
            : windows.All(k => k > 0) && windows.Aggregate(1L, (p, k) => p * k) <= MaxUnrolledAdaptiveWindow
                ? Emit(node, new PoolOp(result, kind, x.Name, windows, windows, [.. Enumerable.Repeat(0L, rank)], [.. Enumerable.Repeat(1L, rank)],
                    CeilMode: false, CountIncludePad: true, DivisorOverride: null), isNodeResult: !isMax)
            : outputs.All(o => o == 1)
                ? Reduce(node, x, [.. Enumerable.Range(x.Shape.Rank - rank, rank).Select(a => (long)a)], keepdim: true,
                    isMax ? ReductionKind.Max : ReductionKind.Mean, registerAsNode: !isMax)
            : Emit(node, new AdaptivePoolOp(result, kind, x.Name, outputs), isNodeResult: !isMax);
        if (values is null)
        {
            return false;
        }

        if (isMax)
        {
            CheckMeta(node, values, node.Results[0]);
            _tuples[node.Name] = [(values, null), (null, "the indices of adaptive max pooling (for max_unpool or training) are not supported yet")];
        }

        return true;
    }
}
