using System.Collections.Immutable;
using System.Globalization;

namespace KernelForge.Translation.IR;

/// <summary>Nearest-neighbour upsampling (or downsampling) of the last 1, 2 or 3 axes; every leading axis is a plane of its own.</summary>
/// <remarks>
/// The result's spatial extents are the output size; <see cref="Scales"/> holds one float32 scale per spatial axis, outermost
/// first, as ATen's CUDA kernels take it from <c>compute_scales_value</c>: <c>1 / scale_factor</c> when the op was given
/// one, else <c>input / output</c>, each rounded to float32. Output index <c>o</c> of an axis of input extent <c>I</c> reads
/// input index <c>min(floor(o · scale), I - 1)</c> with the product in float32 (<c>nearest_neighbor_compute_source_index</c>,
/// the legacy "nearest" mode, not "nearest-exact"); see <see cref="SourceIndex"/>.
/// </remarks>
public sealed record UpsampleNearestOp(IRValue Result, string Source, ImmutableArray<float> Scales) : Operation(Result)
{
    public int SpatialRank => Scales.Length;

    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() =>
        $"upsample_nearest(%{Source}, scales=[{string.Join(", ", Scales.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}])";

    /// <summary>
    /// ATen's <c>compute_scales_value&lt;float&gt;</c>: <c>(float)(1.0 / factor)</c> (in double, then rounded) for a positive scale
    /// factor, else <c>(float)input / output</c> in float32. The nearest modes' scale, and the linear modes' without align_corners.
    /// </summary>
    public static float ScaleValue(long input, long output, double? scaleFactor) =>
        scaleFactor is { } factor && factor > 0 ? (float)(1.0 / factor) : (float)input / output;

    /// <summary>The input index output index <paramref name="output"/> reads: <c>min(floor(output · scale), input - 1)</c>, the product in float32.</summary>
    public static long SourceIndex(long output, float scale, long input) => Math.Min((long)MathF.Floor(output * scale), input - 1);
}
