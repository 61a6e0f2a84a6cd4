using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>
/// Reflection and replication padding (<c>F.pad(mode="reflect" | "replicate")</c>, which torch.export keeps as
/// <c>reflection_pad{1,2,3}d</c> and <c>replication_pad{1,2,3}d</c>), written as ops the translator already lowers: along
/// each padded dim, the border slices (flipped, for reflection; the edge repeated, for replication) concatenated on
/// either side. Argument order from native_functions.yaml: <c>reflection_pad2d(self, padding)</c>, pad pairs from the
/// last dim backwards as in <c>constant_pad_nd</c>.
/// </summary>
/// <remarks>
/// Reflection mirrors about the edge element without repeating it: with pad (l, r) over n elements, the left border is
/// elements l, l-1, …, 1 and the right one n-2, n-3, …, n-1-r; torch requires l, r &lt; n. Replication repeats element
/// 0 l times and element n-1 r times. Each dim costs slices, flips and a concatenation: correct, not fused.
/// </remarks>
internal sealed partial class AtenImporter
{
    private bool ImportBorderPad(ExportedNode node, bool reflect)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "padding", out var pad)) || !AreFloat32(node, [x]))
        {
            return false;
        }

        if (pad is null || pad.Length % 2 != 0 || pad.Length / 2 > x.Shape.Rank || pad.Any(p => p < 0))
        {
            return Unsupported(node, "`padding` must be pairs of non-negative amounts, one pair per trailing dim at most");
        }

        var current = x;
        for (var i = 0; i < pad.Length / 2; i++)
        {
            var axis = x.Shape.Rank - 1 - i;
            var (left, right, extent) = (pad[2 * i], pad[(2 * i) + 1], current.Shape[axis]);
            if (left == 0 && right == 0)
            {
                continue;
            }

            if (reflect ? left >= extent || right >= extent : extent == 0)
            {
                return Unsupported(node, Invariant($"padding ({left}, {right}) of a dim of {extent} (reflection needs each amount below the extent, as torch does)"));
            }

            var parts = new List<IRValue>();
            if (left > 0)
            {
                parts.AddRange(reflect
                    ? [Flipped(node, SliceOf(node, current, axis, 1, left, "border"), axis)]
                    : Enumerable.Repeat(SliceOf(node, current, axis, 0, 1, "border"), (int)left));
            }

            parts.Add(current);
            if (right > 0)
            {
                parts.AddRange(reflect
                    ? [Flipped(node, SliceOf(node, current, axis, extent - 1 - right, right, "border"), axis)]
                    : Enumerable.Repeat(SliceOf(node, current, axis, extent - 1, 1, "border"), (int)right));
            }

            var shape = Shape.Of([.. current.Shape.Extents.SetItem(axis, extent + left + right)]);
            var last = 2 * (i + 1) >= pad.Length || pad.Skip(2 * (i + 1)).All(p => p == 0);
            var result = new IRValue(last ? node.Name : FreshName(node.Name + "_pad"), shape, x.DataType);
            current = Emit(node, new ConcatOp(result, [.. parts.Select(p => p.Name)], axis), isNodeResult: last);
            if (last)
            {
                return true;
            }
        }

        Emit(node, new ReshapeOp(x with { Name = node.Name }, x.Name));
        return true;
    }

    private IRValue Flipped(ExportedNode node, IRValue source, int axis) =>
        source.Shape[axis] == 1 ? source : Emit(node, new FlipOp(source with { Name = FreshName(node.Name + "_mirror") }, source.Name, [axis]), isNodeResult: false);
}
