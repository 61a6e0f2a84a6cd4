using System.Collections.Immutable;
using System.Globalization;

namespace KernelForge.Translation.IR;

/// <summary>Linear interpolation of the last 1, 2 or 3 axes (<c>F.interpolate</c>'s linear, bilinear and trilinear modes); every leading axis is a plane of its own.</summary>
/// <remarks>
/// The result's spatial extents are the output size. <see cref="Scales"/> holds, per spatial axis outermost first, the
/// float32 scale ATen's CUDA kernels take from <c>area_pixel_compute_scale</c>: with <see cref="AlignCorners"/>,
/// <c>(I - 1) / (O - 1)</c> (0 when O is 1); without, <c>1 / scale_factor</c> when the op was given one, else <c>I / O</c>.
/// Output index <c>o</c> maps to the source position <c>r = scale · o</c> (aligned) or <c>max(scale · (o + 0.5) - 0.5, 0)</c>
/// (<c>area_pixel_compute_source_index</c>), which reads indexes <c>i = (int)r</c> and <c>i + 1</c> (clamped to I - 1) with
/// weights <c>1 - (r - i)</c> and <c>r - i</c>, all in float32.
/// </remarks>
public sealed record UpsampleLinearOp(IRValue Result, string Source, ImmutableArray<float> Scales, bool AlignCorners) : Operation(Result)
{
    public int SpatialRank => Scales.Length;

    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() =>
        $"upsample_linear(%{Source}, scales=[{string.Join(", ", Scales.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}], align_corners={(AlignCorners ? "true" : "false")})";

    /// <summary>ATen's <c>area_pixel_compute_scale&lt;float&gt;</c> for one axis of input extent <paramref name="input"/> and output extent <paramref name="output"/>.</summary>
    public static float Scale(long input, long output, bool alignCorners, double? scaleFactor)
    {
        if (alignCorners)
        {
            return output > 1 ? (float)(input - 1) / (output - 1) : 0.0f;
        }

        return UpsampleNearestOp.ScaleValue(input, output, scaleFactor);
    }
}
