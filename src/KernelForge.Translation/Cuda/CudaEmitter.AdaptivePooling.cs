using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Adaptive max and average pooling: one thread per output, each window's bounds computed from its index, in torch's order.</summary>
/// <remarks>
/// Numerics follow ATen's CUDA kernels (<c>adaptive_average_pool</c>, <c>adaptive_max_pool</c>, NCHW and their 1-d and 3-d
/// forms): window <c>[floor(o * I / O), ceil((o + 1) * I / O))</c> per axis (the products in 64 bits), visited outermost
/// axis first; average sums in float and divides by each axis's window length in turn (<c>sum / kH / kW</c>); max starts
/// at -inf and takes a value when it is larger or NaN. Window lengths vary with the output index, so the loops are not unrolled.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitAdaptivePool(AdaptivePoolOp operation)
    {
        var rank = operation.SpatialRank;
        var inputs = _values[operation.Source].Shape.Extents[^rank..];
        var outputs = operation.OutputSize;
        var isMax = operation.Kind == PoolKind.Max;
        if (OpenPoolingKernel(operation, isMax ? "adaptive_max_pool" : "adaptive_avg_pool", inputs, outputs) is not { } frame)
        {
            return;
        }

        var w = frame.Writer;
        w.Line("// ATen's start_index and end_index: [floor(o * I / O), ceil((o + 1) * I / O)), the products in 64 bits");
        for (var d = 0; d < rank; d++)
        {
            w.Line(Invariant($"const int s{d} = (int)((int64_t)o{d} * {inputs[d]} / {outputs[d]});"));
            w.Line(Invariant($"const int e{d} = (int)(((int64_t)o{d} * {inputs[d]} + {inputs[d] + outputs[d] - 1}) / {outputs[d]});"));
        }

        w.Line(isMax ? "float m = -INFINITY;" : "float sum = 0.0f;");
        for (var d = 0; d < rank; d++)
        {
            w.Open(Invariant($"for (int i{d} = s{d}; i{d} < e{d}; ++i{d})"));
        }

        if (isMax)
        {
            w.Line($"const float v = __ldg(xp + {Offset(inputs)});");
            w.Line("if (v > m || v != v) m = v;  // ATen: (val > maxval) || isnan(val)");
        }
        else
        {
            w.Line($"sum += __ldg(xp + {Offset(inputs)});");
        }

        for (var d = 0; d < rank; d++)
        {
            w.Close();
        }

        w.Line(isMax ? "y[o] = m;" : $"y[o] = sum{string.Concat(Enumerable.Range(0, rank).Select(d => Invariant($" / (float)(e{d} - s{d})")))};  // ATen: sum{rank switch { 1 => " / kW", 2 => " / kH / kW", _ => " / kT / kH / kW" }}");
        ClosePoolingKernel(frame, operation, operation.Source, Invariant($"one thread per output ({frame.Count} outputs, about {frame.ItemsPerThread} a thread), windows of up to {string.Join(" x ", LongestWindows(inputs, outputs))} looped with bounds from the output index, {(isMax ? "NaN-propagating max" : "float sum divided by each axis's window length")}"));
    }

    /// <summary>The longest window along each axis, for the kernel's description.</summary>
    private static IEnumerable<string> LongestWindows(ImmutableArray<long> inputs, ImmutableArray<long> outputs) =>
        inputs.Zip(outputs, (i, o) => CudaLiteral.Format(Enumerable.Range(0, (int)o)
            .Max(k => AdaptivePoolOp.WindowEnd(k, i, o) - AdaptivePoolOp.WindowStart(k, i, o))));
}
