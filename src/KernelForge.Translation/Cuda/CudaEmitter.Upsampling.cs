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
