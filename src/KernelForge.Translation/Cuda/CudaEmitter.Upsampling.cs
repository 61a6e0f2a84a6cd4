using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Nearest-neighbour upsampling: a copy kernel, one thread per output, each spatial coordinate mapped to its source.</summary>
/// <remarks>
/// Numerics follow ATen's CUDA kernels (<c>upsample_nearest1d/2d/3d</c>, <c>aten/src/ATen/native/cuda/UpSample.cuh</c>):
/// <c>nearest_neighbor_compute_source_index</c> is <c>min((int)floorf(dst_index * scale), input_size - 1)</c> with the
/// float32 scale of <see cref="UpsampleNearestOp.Scales"/>; the output coordinate converts to float exactly below 2^24, as
/// ATen's <c>int</c> does. An axis of input extent 1 always reads index 0, and one of scale 1 that does not grow reads its own
/// index, so neither computes anything.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitUpsampleNearest(UpsampleNearestOp operation)
    {
        var source = _values[operation.Source].Shape;
        var output = operation.Result.Shape;
        var first = source.Rank - operation.SpatialRank;
        bool Maps(int d) => d >= first && source[d] > 1 && !(operation.Scales[d - first] == 1.0f && output[d] <= source[d]);
        var scales = string.Join(", ", operation.Scales.Select(CudaLiteral.Format));
        EmitCopy(operation, "upsample_nearest", [operation.Source], $"reading input index min(floor(o * scale), I - 1) per spatial axis, scales [{scales}] in float32", w =>
        {
            for (var d = first; d < source.Rank; d++)
            {
                if (Maps(d))
                {
                    w.Line(Invariant($"const int64_t f{d} = (int64_t)floorf((float)c{d} * {CudaLiteral.Format(operation.Scales[d - first])});"));
                    w.Line(Invariant($"const int64_t s{d} = f{d} < {source[d] - 1} ? f{d} : {source[d] - 1};"));
                }
            }

            w.Line($"y[o] = __ldg(x0 + {SourceOffset(source, d => Maps(d) ? Invariant($"s{d}") : Invariant($"c{d}"))});");
        });
    }
}

/// <summary>Linear interpolation (linear, bilinear, trilinear): a copy kernel, one thread per output, blending the 2, 4 or 8 neighbours of its source position.</summary>
/// <remarks>
/// Numerics follow ATen's CUDA kernels (<c>UpSampleLinear1d.cu</c>, <c>UpSampleBilinear2d.cu</c>, <c>UpSampleTrilinear3d.cu</c>):
/// per axis the float32 source position of <see cref="UpsampleLinearOp"/>, its integer part and the next index (clamped),
/// and the weights <c>1 - λ</c>, <c>λ</c>; the blend nests outermost axis first,
/// <c>h0λ · (w0λ · a + w1λ · b) + h1λ · (w0λ · c + w1λ · d)</c>, as those kernels write it.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitUpsampleLinear(UpsampleLinearOp operation)
    {
        var source = operation.Source;
        var shape = _values[source].Shape;
        var first = shape.Rank - operation.SpatialRank;
        var scales = string.Join(", ", operation.Scales.Select(CudaLiteral.Format));
        var position = operation.AlignCorners ? "scale * o" : "max(scale * (o + 0.5) - 0.5, 0)";
        EmitCopy(operation, "upsample_linear", [source], $"blending the neighbours of source position {position} per spatial axis, scales [{scales}] in float32", w =>
        {
            for (var d = first; d < shape.Rank; d++)
            {
                var scale = CudaLiteral.Format(operation.Scales[d - first]);
                if (operation.AlignCorners)
                {
                    w.Line(Invariant($"const float r{d} = {scale} * (float)c{d};"));
                }
                else
                {
                    w.Line(Invariant($"const float q{d} = {scale} * ((float)c{d} + 0.5f) - 0.5f;"));
                    w.Line(Invariant($"const float r{d} = q{d} < 0.0f ? 0.0f : q{d};"));
                }

                w.Line(Invariant($"const int64_t i{d} = (int64_t)r{d};"));
                w.Line(Invariant($"const int64_t j{d} = i{d} < {shape[d] - 1} ? i{d} + 1 : i{d};"));
                w.Line(Invariant($"const float u{d} = r{d} - (float)i{d};"));
                w.Line(Invariant($"const float t{d} = 1.0f - u{d};"));
            }

            w.Line($"y[o] = {Blend(first, [])};");
        });

        // t{d} · (blend with i{d}) + u{d} · (blend with j{d}), axis d outermost; the innermost terms are loads.
        string Blend(int d, IReadOnlyList<string> indexes)
        {
            if (d == shape.Rank)
            {
                return $"__ldg(x0 + {SourceOffset(shape, a => a < first ? Invariant($"c{a}") : indexes[a - first])})";
            }

            var low = Blend(d + 1, [.. indexes, Invariant($"i{d}")]);
            var high = Blend(d + 1, [.. indexes, Invariant($"j{d}")]);
            return Invariant($"t{d} * {Wrap(low)} + u{d} * {Wrap(high)}");
        }

        static string Wrap(string term) => term.StartsWith("__ldg", StringComparison.Ordinal) ? term : $"({term})";
    }
}
