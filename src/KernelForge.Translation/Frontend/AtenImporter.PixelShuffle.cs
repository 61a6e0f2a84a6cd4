using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>pixel_shuffle, pixel_unshuffle and channel_shuffle: a view, one permute copy, a view, as ATen's own implementations write them.</summary>
/// <remarks>
/// From native_functions.yaml: <c>pixel_shuffle(self, upscale_factor)</c>, <c>pixel_unshuffle(self, downscale_factor)</c>; both
/// act on the last three axes <c>[C, H, W]</c> and keep any leading ones. <c>channel_shuffle(self, groups)</c> acts on
/// axis 1 of <c>[N, C, …]</c>.
/// </remarks>
internal sealed partial class AtenImporter
{
    /// <summary><c>pixel_shuffle(self, upscale_factor)</c>: <c>[N, C·r², H, W]</c> viewed as <c>[N, C, r, r, H, W]</c>, permuted to <c>[N, C, H, r, W, r]</c>, viewed as <c>[N, C, H·r, W·r]</c>.</summary>
    private bool ImportPixelShuffle(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "upscale_factor", out var factors)))
        {
            return false;
        }

        if (factors is not [var r and > 0] || x.Shape.Rank < 3 || x.Shape[^3] % (r * r) != 0)
        {
            return Unsupported(node, Invariant($"pixel_shuffle of {x.Shape} by {(factors is [var f] ? f : 0)} (channels must divide by the factor squared)"));
        }

        var lead = x.Shape.Extents[..^3];
        var (c, h, w) = (x.Shape[^3] / (r * r), x.Shape[^2], x.Shape[^1]);
        var k = lead.Length;
        return Regroup(node, x, [.. lead, c, r, r, h, w], [.. Enumerable.Range(0, k), k, k + 3, k + 1, k + 4, k + 2], [.. lead, c, h * r, w * r]);
    }

    /// <summary>
    /// <c>pixel_unshuffle(self, downscale_factor)</c>, pixel_shuffle's inverse: <c>[N, C, H·r, W·r]</c> viewed as
    /// <c>[N, C, H, r, W, r]</c>, permuted to <c>[N, C, r, r, H, W]</c>, viewed as <c>[N, C·r², H, W]</c>.
    /// </summary>
    private bool ImportPixelUnshuffle(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "downscale_factor", out var factors)))
        {
            return false;
        }

        if (factors is not [var r and > 0] || x.Shape.Rank < 3 || x.Shape[^2] % r != 0 || x.Shape[^1] % r != 0)
        {
            return Unsupported(node, Invariant($"pixel_unshuffle of {x.Shape} by {(factors is [var f] ? f : 0)} (height and width must divide by a positive factor)"));
        }

        var lead = x.Shape.Extents[..^3];
        var (c, h, w) = (x.Shape[^3], x.Shape[^2] / r, x.Shape[^1] / r);
        var k = lead.Length;
        return Regroup(node, x, [.. lead, c, h, r, w, r], [.. Enumerable.Range(0, k), k, k + 2, k + 4, k + 1, k + 3], [.. lead, c * r * r, h, w]);
    }

    /// <summary>
    /// <c>channel_shuffle(self, groups)</c> (nn.ChannelShuffle): <c>[N, C, …]</c> viewed as <c>[N, g, C/g, …]</c>, the two
    /// group axes swapped, viewed back as <c>[N, C, …]</c>.
    /// </summary>
    private bool ImportChannelShuffle(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "groups", out var groups)))
        {
            return false;
        }

        if (groups is not [var g and > 0] || x.Shape.Rank < 2 || x.Shape[1] % g != 0)
        {
            return Unsupported(node, Invariant($"channel_shuffle of {x.Shape} in {(groups is [var n] ? n : 0)} groups (the channels must divide into the groups)"));
        }

        var rest = x.Shape.Extents[2..];
        return Regroup(node, x, [x.Shape[0], g, x.Shape[1] / g, .. rest], [0, 2, 1, .. Enumerable.Range(3, rest.Length)], [.. x.Shape.Extents]);
    }

    /// <summary><paramref name="x"/> viewed as <paramref name="split"/>, permuted by <paramref name="order"/> (one copy), viewed as <paramref name="result"/>: the node's value.</summary>
    private bool Regroup(ExportedNode node, IRValue x, long[] split, int[] order, long[] result)
    {
        var view = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_split"), Shape.Of(split), x.DataType), x.Name), isNodeResult: false);
        var permuted = Emit(node, new PermuteOp(new IRValue(FreshName(node.Name + "_permuted"), PermuteOp.Permuted(view.Shape, order), x.DataType), view.Name, [.. order]), isNodeResult: false);
        Emit(node, new ReshapeOp(new IRValue(node.Name, Shape.Of(result), x.DataType), permuted.Name));
        return true;
    }
}
