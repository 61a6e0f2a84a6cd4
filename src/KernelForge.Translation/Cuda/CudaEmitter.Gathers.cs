using KernelForge.Core;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>
/// Gathers by an index tensor (class labels): a copy kernel for <see cref="GatherOp"/>, and one block per row for
/// <see cref="RowSoftmaxPickOp"/>, which reads the row once for its softmax statistics and writes only the picked elements.
/// </summary>
/// <remarks>
/// Every index is checked against the axis before it is used, so a label out of range (torch raises an error for it) reads
/// nothing and gives NaN. An int64 index is read as <c>int64_t</c>; a float32 one holds integers below 2^24 (the verifier
/// bounds the axis), so the cast to an integer is exact and a NaN or rounded label fails the range check.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitGather(GatherOp operation)
    {
        var source = _values[operation.Source].Shape;
        var index = _values[operation.Index];
        var extent = source[operation.Axis];
        // An index of the result's shape is read at the output's own offset; a broadcast one at the offset of its coordinates.
        var position = index.Shape == operation.Result.Shape ? "o" : SourceOffset(index.Shape, d => Invariant($"c{d}"));
        EmitCopy(operation, "gather", [operation.Source, operation.Index],
            Invariant($"reading the source at the index's position along axis {operation.Axis} ({CType(index.DataType)} index{(position == "o" ? "" : Invariant($" {index.Shape}, broadcast"))}, NaN outside [0, {extent}))"), w =>
            {
                WriteIndexLoad(w, index.DataType, $"__ldg(x1 + {position})", extent);
                var offset = SourceOffset(source, d => d == operation.Axis ? "k" : Invariant($"c{d}"));
                w.Line($"y[o] = {InRange(extent)} ? __ldg(x0 + {offset}) : {CudaLiteral.Format(float.NaN)};");
            }, [CType(DataType.Float32), CType(index.DataType)]);
    }

    private void EmitSoftmaxPick(RowSoftmaxPickOp operation)
    {
        var schedule = ScheduleOf(KernelKind.RowReduction);
        var source = _values[operation.Source].Shape;
        var index = _values[operation.Index];
        var length = source.Last;
        var rows = source.ElementCount / length;
        if (!CheckRows(operation, rows))
        {
            return;
        }

        _helpers |= DeviceHelpers.BlockMax | DeviceHelpers.BlockSum;
        var name = NextKernelName(operation.IsLog ? "log_softmax_pick" : "softmax_pick");
        var threads = schedule.BlockSize;
        var vectorized = schedule.VectorWidth == 4 && length % 4 == 0;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        if (vectorized)
        {
            WriteSoftmaxPickKernel(w, name + "_vec4", operation, index.DataType, threads, length, index.Shape.Last, vector: true);
        }

        WriteSoftmaxPickKernel(w, name + "_scalar", operation, index.DataType, threads, length, index.Shape.Last, vector: false);
        WriteRowLauncher(name, $"const float* x, const {CType(index.DataType)}* index, float* y", "x, index, y", rows, threads, vectorized);
        AddLaunch(name, operation.Source, operation.Index, operation.Result.Name);
        var strategy = Invariant($"one block per row ({rows} rows of {length}): online max and sum of exponentials over the row read once{(vectorized ? " (float4 loads when aligned)" : "")}, then the {index.Shape.Last} picked column(s) per row ({CType(index.DataType)} index, NaN outside the row); the softmax itself is never stored");
        AddKernel(name, KernelKind.RowReduction, schedule, operation, strategy);
    }

    private static void WriteSoftmaxPickKernel(CudaWriter w, string name, RowSoftmaxPickOp operation, DataType indexType, int threads, long length, long picks, bool vector)
    {
        var warps = threads / 32;
        var loopIndex = length > int.MaxValue ? "int64_t" : "int";
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, const {CType(indexType)}* __restrict__ index, float* __restrict__ y)");
        w.Line($"__shared__ float s_max[{warps}];");
        w.Line($"__shared__ float s_sum[{warps}];");
        w.Line($"const float* xr = x + (int64_t)blockIdx.x * {length};");
        // Per-thread online max and sum of exp(x - max), as the softmax kernels' generic loop: the row is read once.
        w.Line("float m = -INFINITY, s = 0.0f;");
        if (vector)
        {
            w.Line("const float4* x4 = reinterpret_cast<const float4*>(xr);");
            w.Open($"for ({loopIndex} i = threadIdx.x; i < {length / 4}; i += {threads})");
            w.Line("const float4 q = __ldg(x4 + i);");
            w.Line("const float lanes[4] = {q.x, q.y, q.z, q.w};");
            w.Directive("#pragma unroll");
            w.Open("for (int l = 0; l < 4; ++l)");
            w.Line("const float v = lanes[l];");
        }
        else
        {
            w.Open($"for ({loopIndex} i = threadIdx.x; i < {length}; i += {threads})");
            w.Line("const float v = __ldg(xr + i);");
        }

        w.Line("if (v > m) { s = s * expf(m - v) + 1.0f; m = v; } else { s += expf(v - m); }");
        if (vector)
        {
            w.Close();
        }

        w.Close();
        w.Line($"const float bm = block_max<{warps}>(m, s_max);");
        w.Line($"const float bs = block_sum<{warps}>(m == -INFINITY ? 0.0f : s * expf(m - bm), s_sum);");
        // torch's epilogues, at the picked elements only: x - max - log(sum), and exp(x - max) / sum.
        if (operation.IsLog)
        {
            w.Line("const float logsum = logf(bs);");
        }

        if (picks == 1)
        {
            w.Open("if (threadIdx.x == 0)");
            w.Line("const int64_t o = blockIdx.x;");
        }
        else
        {
            w.Open($"for (int64_t p = threadIdx.x; p < {picks}; p += {threads})");
            w.Line($"const int64_t o = (int64_t)blockIdx.x * {picks} + p;");
        }

        WriteIndexLoad(w, indexType, "__ldg(index + o)", length);
        w.Line($"y[o] = {InRange(length)} ? {(operation.IsLog ? "__ldg(xr + k) - bm - logsum" : "expf(__ldg(xr + k) - bm) / bs")} : {CudaLiteral.Format(float.NaN)};");
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>
    /// Declares <c>k</c>, the position <paramref name="load"/> names: the int64 itself, or the float32 integer cast to one
    /// (-1 when the float is negative, too large for the axis, or NaN, so the cast is always defined).
    /// </summary>
    private static void WriteIndexLoad(CudaWriter w, DataType indexType, string load, long extent)
    {
        if (indexType == DataType.Float32)
        {
            w.Line($"const float f = {load};");
            w.Line($"const int64_t k = f >= 0.0f && f < {CudaLiteral.Format((float)extent)} ? (int64_t)f : -1;");
        }
        else
        {
            w.Line($"const int64_t k = {load};");
        }
    }

    /// <summary>Whether <c>k</c> is a position of an axis of <paramref name="extent"/>: one unsigned compare rejects negatives too.</summary>
    private static string InRange(long extent) => Invariant($"(uint64_t)k < {extent}ull");
}
