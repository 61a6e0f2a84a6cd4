using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Nearest-neighbour interpolation, <c>upsample_nearest1d/2d/3d</c> (.vec and .default), as an <see cref="UpsampleNearestOp"/>.</summary>
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
        var vec = node.Target.EndsWith(".vec", StringComparison.Ordinal);
        var ok = TryTensor(node, 0, vec ? "input" : "self", out var x) & TryIntList(node, 1, "output_size", out var sizes);
        double?[] factors = new double?[rank];
        if (vec)
        {
            ok &= TryNumberList(node, 2, "scale_factors", out var list);
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
                ok &= TryNumber(node, 2 + i, names[i], null, out factors[i]);
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

        var inputs = x.Shape.Extents[2..];
        long[] outputs;
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
            outputs = [.. inputs.Zip(factors, (i, f) => (long)Math.Floor(i * f!.Value))];
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

        // compute_scales_value<float>: (float)(1.0 / factor) in double then rounded, or (float)input / output in float32.
        var scales = inputs.Select((input, i) => factors[i] is { } f && f > 0 ? (float)(1.0 / f) : (float)input / (float)outputs[i]).ToImmutableArray();
        var result = new IRValue(node.Name, Shape.Of([.. x.Shape.Extents[..2], .. outputs]), x.DataType);
        Emit(node, outputs.SequenceEqual(inputs) && scales.All(s => s == 1.0f)
            ? new ReshapeOp(result, x.Name)
            : new UpsampleNearestOp(result, x.Name, scales));
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
