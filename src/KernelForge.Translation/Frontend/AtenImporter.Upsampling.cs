using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Resizing: nearest-neighbour (<c>upsample_nearest1d/2d/3d</c>) as an <see cref="UpsampleNearestOp"/>, linear (<c>upsample_linear1d</c>, <c>upsample_bilinear2d</c>, <c>upsample_trilinear3d</c>) as an <see cref="UpsampleLinearOp"/>, .vec and .default forms.</summary>
/// <remarks>
/// From native_functions.yaml: <c>upsample_nearest2d.vec(input, output_size, scale_factors)</c> (exactly one of the two given;
/// what <c>F.interpolate(mode="nearest")</c> calls) and <c>upsample_nearest2d(self, output_size, scales_h=None, scales_w=None)</c>;
/// the 1-d form has one <c>scales</c>, the 3-d form <c>scales_d, scales_h, scales_w</c>. As ATen's <c>compute_output_size</c>, a
/// scale factor gives the output extent <c>floor(input · factor)</c>; as its <c>compute_scales_value</c>, a positive factor gives
/// the kernel's scale <c>1 / factor</c> and none (or a non-positive one) <c>input / output</c>, rounded to float32. The
/// input is <c>[N, C, spatial…]</c> (torch requires the rank); an output of the input's size with scale 1 is a free view.
/// </remarks>
internal sealed partial class AtenImporter
{
    private bool ImportUpsampleNearest(ExportedNode node)
    {
        var rank = node.Target[node.Target.IndexOf("nearest", StringComparison.Ordinal) + 7] - '0';
        if (!TryResize(node, rank, factorIndex: 2, out var x, out var inputs, out var outputs, out var factors))
        {
            return false;
        }

        var scales = inputs.Select((input, i) => UpsampleNearestOp.ScaleValue(input, outputs[i], factors[i])).ToImmutableArray();
        var result = new IRValue(node.Name, Shape.Of([.. x.Shape.Extents[..2], .. outputs]), x.DataType);
        Emit(node, outputs.SequenceEqual(inputs) && scales.All(s => s == 1.0f)
            ? new ReshapeOp(result, x.Name)
            : new UpsampleNearestOp(result, x.Name, scales));
        return true;
    }

    /// <summary>
    /// <c>upsample_linear1d</c>, <c>upsample_bilinear2d</c>, <c>upsample_trilinear3d</c> (.vec and .default): an
    /// <see cref="UpsampleLinearOp"/>, or a free view when the size does not change (ATen's kernels copy then).
    /// </summary>
    /// <remarks>
    /// From native_functions.yaml: <c>upsample_bilinear2d.vec(input, output_size, align_corners, scale_factors)</c> and
    /// <c>upsample_bilinear2d(self, output_size, align_corners, scales_h=None, scales_w=None)</c>, the other ranks alike.
    /// </remarks>
    private bool ImportUpsampleLinear(ExportedNode node)
    {
        var rank = node.Target.Contains("linear1d", StringComparison.Ordinal) ? 1 : node.Target.Contains("bilinear2d", StringComparison.Ordinal) ? 2 : 3;
        var ok = TryBool(node, 2, "align_corners", false, out var alignCorners);
        if (!(TryResize(node, rank, factorIndex: 3, out var x, out var inputs, out var outputs, out var factors) && ok))
        {
            return false;
        }

        var result = new IRValue(node.Name, Shape.Of([.. x.Shape.Extents[..2], .. outputs]), x.DataType);
        var scales = inputs.Select((input, i) => UpsampleLinearOp.Scale(input, outputs[i], alignCorners, factors[i])).ToImmutableArray();
        Emit(node, outputs.SequenceEqual(inputs)
            ? new ReshapeOp(result, x.Name)
            : new UpsampleLinearOp(result, x.Name, scales, alignCorners));
        return true;
    }

    /// <summary>
    /// The input, its spatial extents, the output's and the scale factors given (null where none) of a resize whose
    /// <c>output_size</c> is argument 1 and whose <c>scale_factors</c> (.vec) or per-axis <c>scales…</c> (.default) start at
    /// <paramref name="factorIndex"/>. As ATen's <c>compute_output_size</c>, a scale factor gives the output extent
    /// <c>floor(input · factor)</c>.
    /// </summary>
    private bool TryResize(ExportedNode node, int rank, int factorIndex, out IRValue x, out long[] inputs, out long[] outputs, out double?[] factors)
    {
        inputs = outputs = [];
        var vec = node.Target.EndsWith(".vec", StringComparison.Ordinal);
        var ok = TryTensor(node, 0, vec ? "input" : "self", out x) & TryIntList(node, 1, "output_size", out var sizes);
        factors = new double?[rank];
        if (vec)
        {
            ok &= TryNumberList(node, factorIndex, "scale_factors", out var list);
            if (ok && list is not null)
            {
                if (list.Length != rank)
                {
                    return Unsupported(node, Invariant($"`scale_factors` has {list.Length} entries; a {rank}-d upsampling takes {rank}"));
                }

                factors = [.. list.Select(f => (double?)f)];
            }
        }
        else
        {
            string[] names = rank switch { 1 => ["scales"], 2 => ["scales_h", "scales_w"], _ => ["scales_d", "scales_h", "scales_w"] };
            for (var i = 0; i < rank; i++)
            {
                ok &= TryNumber(node, factorIndex + i, names[i], null, out factors[i]);
            }
        }

        if (!ok)
        {
            return false;
        }

        if (x.Shape.Rank != rank + 2)
        {
            _diagnostics.Error(node.Name, Invariant($"{node.Target} takes [N, C] and {rank} spatial axes, a rank-{rank + 2} tensor; got {x.Shape} (torch refuses it too)."));
            return false;
        }

        inputs = [.. x.Shape.Extents[2..]];
        if (sizes is not null)
        {
            if (vec && factors.Any(f => f is not null))
            {
                _diagnostics.Error(node.Name, $"{node.Target} got both `output_size` and `scale_factors`; torch takes exactly one of them.");
                return false;
            }

            if (sizes.Length != rank)
            {
                return Unsupported(node, Invariant($"`output_size` has {sizes.Length} entries; a {rank}-d upsampling takes {rank}"));
            }

            outputs = sizes;
        }
        else if (vec && factors.All(f => f is not null))
        {
            var scaled = factors;
            outputs = [.. inputs.Select((input, i) => (long)Math.Floor(input * scaled[i]!.Value))];
        }
        else
        {
            return Unsupported(node, "neither `output_size` nor `scale_factors` is given");
        }

        if (outputs.Any(o => o < 1) || inputs.Any(i => i < 1))
        {
            _diagnostics.Error(node.Name, Invariant($"{node.Target}: resizing {x.Shape} to [{string.Join(", ", outputs)}] needs input and output extents of at least 1 (torch refuses it too)."));
            return false;
        }

        return true;
    }

    /// <summary>A number or a list of numbers; null (not an error) when the argument is None or absent.</summary>
    private bool TryNumberList(ExportedNode node, int index, string name, out double[]? values)
    {
        values = null;
        switch (node.Argument(index, name))
        {
            case null or NoneArgument:
                return true;
            case NumberArgument number:
                values = [number.Value];
                return true;
            case ListArgument list when list.Items.All(i => i is NumberArgument):
                values = [.. list.Items.Select(i => ((NumberArgument)i).Value)];
                return true;
            case var other:
                _diagnostics.Error(node.Name, $"{node.Target} expects numbers for `{name}`, got {Describe(other)}.");
                return false;
        }
    }
}
