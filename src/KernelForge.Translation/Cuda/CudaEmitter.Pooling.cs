using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Max and average pooling: one thread per output, the window's loops unrolled with bounds checks, in torch's order.</summary>
/// <remarks>
/// Numerics follow ATen's CUDA kernels (<c>max_pool2d_with_indices</c>, <c>avg_pool2d</c>, <c>avg_pool3d</c>, NCHW): max
/// starts at -inf and takes a value when it is larger or NaN; average sums the in-bounds window row by row in float and
/// divides by the divisor override, the window clipped to input plus padding (<c>count_include_pad</c>), or the window
/// clipped to the input. Visiting the whole kernel with a bounds check visits the same elements in the same order as
/// ATen's clipped loops.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitPool(PoolOp operation)
    {
        var rank = operation.SpatialRank;
        var inputs = _values[operation.Source].Shape.Extents[^rank..];
        var isMax = operation.Kind == PoolKind.Max;
        if (OpenPoolingKernel(operation, isMax ? "max_pool" : "avg_pool", inputs, operation.Result.Shape.Extents[^rank..]) is not { } frame)
        {
            return;
        }

        var w = frame.Writer;
        for (var d = 0; d < rank; d++)
        {
            w.Line(Invariant($"const int s{d} = o{d} * {operation.Stride[d]} - {operation.Padding[d]};"));
        }

        if (isMax)
        {
            WriteMaxWindow(w, operation, inputs);
        }
        else
        {
            WriteAverageWindow(w, operation, inputs);
        }

        ClosePoolingKernel(frame, operation, operation.Source, Invariant($"one thread per output ({frame.Count} outputs, about {frame.ItemsPerThread} a thread), the {string.Join(" x ", operation.KernelSize)} window unrolled with bounds checks, {(isMax ? "NaN-propagating max" : "float sum then one division")}"));
    }

    /// <summary>Where a pooling kernel's body is written: inside the per-output loop, with <c>o0</c>… and the plane's <c>xp</c> declared.</summary>
    private sealed record PoolingFrame(CudaWriter Writer, string Name, long Count, long Blocks, Schedule Schedule)
    {
        public int ItemsPerThread => Schedule.ItemsPerThread;
    }

    /// <summary>
    /// The frame every pooling kernel shares (<see cref="PoolOp"/>, <see cref="AdaptivePoolOp"/>): a grid-stride loop with one
    /// thread per output, its spatial coordinates <c>o0</c>… (outermost first) and <c>xp</c>, the start of its input plane.
    /// Null, with a diagnostic, when a plane does not index in 32 bits or the output is empty.
    /// </summary>
    private PoolingFrame? OpenPoolingKernel(Operation operation, string prefix, ImmutableArray<long> inputs, ImmutableArray<long> outputs)
    {
        var schedule = ScheduleOf(KernelKind.Pooling);
        var planeElements = inputs.Aggregate(1L, (p, e) => p * e);
        var count = operation.Result.Shape.ElementCount;
        if (planeElements >= int.MaxValue || count == 0)
        {
            _diagnostics.Error(operation.Origins.FirstOrDefault(), Invariant($"{operation.Describe()} pools planes of {planeElements} elements into {count} outputs; one plane must index in 32 bits and the output must not be empty."));
            return null;
        }

        var name = NextKernelName(prefix);
        var (threads, items) = (schedule.BlockSize, schedule.ItemsPerThread);
        var threadsNeeded = (count + items - 1) / items;
        var blocks = Math.Min((threadsNeeded + threads - 1) / threads, MaxGridBlocks);
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"const int64_t stride = (int64_t)gridDim.x * {threads};");
        w.Open($"for (int64_t o = (int64_t)blockIdx.x * {threads} + threadIdx.x; o < {count}; o += stride)");
        var below = 1L;
        for (var d = outputs.Length - 1; d >= 0; d--)
        {
            w.Line(below == 1 ? Invariant($"const int o{d} = (int)(o % {outputs[d]});") : Invariant($"const int o{d} = (int)((o / {below}) % {outputs[d]});"));
            below *= outputs[d];
        }

        w.Line(Invariant($"const float* xp = x + (o / {below}) * {planeElements};"));
        return new PoolingFrame(w, name, count, blocks, schedule);
    }

    /// <summary>Closes the loop and kernel <see cref="OpenPoolingKernel"/> opened, writes its launcher, and records the launch and kernel.</summary>
    private void ClosePoolingKernel(PoolingFrame frame, Operation operation, string source, string strategy)
    {
        var w = frame.Writer;
        w.Close();
        w.Close();
        w.Line();

        w.Open($"void launch_{frame.Name}(const float* x, float* y, cudaStream_t stream)");
        w.Line($"{frame.Name}<<<{CudaLiteral.Format(frame.Blocks)}, {frame.Schedule.BlockSize}, 0, stream>>>(x, y);");
        w.Close();
        w.Line();
        AddLaunch(frame.Name, source, operation.Result.Name);
        AddKernel(frame.Name, KernelKind.Pooling, frame.Schedule, operation, strategy);
    }

    private static void WriteMaxWindow(CudaWriter w, PoolOp operation, ImmutableArray<long> inputs)
    {
        w.Line("float m = -INFINITY;");
        OpenWindowLoops(w, operation, inputs, dilated: true);
        w.Line($"const float v = __ldg(xp + {Offset(inputs)});");
        w.Line("if (v > m || v != v) m = v;  // ATen: (val > maxval) || isnan(val)");
        CloseWindowLoops(w, operation.SpatialRank);
        w.Line("y[o] = m;");
    }

    private static void WriteAverageWindow(CudaWriter w, PoolOp operation, ImmutableArray<long> inputs)
    {
        var rank = operation.SpatialRank;
        for (var d = 0; d < rank; d++)
        {
            // ATen: end = min(start + k, in + pad) counts padding; the clipped window is [max(start, 0), min(end, in)).
            w.Line(Invariant($"const int e{d} = min(s{d} + {operation.KernelSize[d]}, {inputs[d] + operation.Padding[d]});"));
            w.Line(Invariant($"const int n{d} = min(e{d}, {inputs[d]}) - max(s{d}, 0);"));
        }

        var counts = Enumerable.Range(0, rank).Select(d => Invariant($"n{d}")).ToList();
        w.Open($"if ({string.Join(" || ", counts.Select(n => $"{n} <= 0"))})");
        w.Line("y[o] = 0.0f;  // a window entirely in the padding, as ATen");
        w.Line("continue;");
        w.Close();
        w.Line("float sum = 0.0f;");
        OpenWindowLoops(w, operation, inputs, dilated: false);
        w.Line($"sum += __ldg(xp + {Offset(inputs)});");
        CloseWindowLoops(w, rank);
        var divisor = operation.DivisorOverride is { } fixedDivisor ? CudaLiteral.Format(fixedDivisor)
            : operation.CountIncludePad ? string.Join(" * ", Enumerable.Range(0, rank).Select(d => Invariant($"(e{d} - s{d})")))
            : string.Join(" * ", counts);
        w.Line($"y[o] = sum / (float)({divisor});");
    }

    private static void OpenWindowLoops(CudaWriter w, PoolOp operation, ImmutableArray<long> inputs, bool dilated)
    {
        for (var d = 0; d < operation.SpatialRank; d++)
        {
            var step = dilated && operation.Dilation[d] != 1 ? Invariant($" * {operation.Dilation[d]}") : "";
            w.Directive("#pragma unroll");
            w.Open(Invariant($"for (int k{d} = 0; k{d} < {operation.KernelSize[d]}; ++k{d})"));
            w.Line(Invariant($"const int i{d} = s{d} + k{d}{step};"));
            w.Line(Invariant($"if (i{d} < 0 || i{d} >= {inputs[d]}) continue;"));
        }
    }

    private static void CloseWindowLoops(CudaWriter w, int rank)
    {
        for (var d = 0; d < rank; d++)
        {
            w.Close();
        }
    }

    /// <summary>The element offset of (i0, i1, …) in a plane of extents <paramref name="inputs"/>: <c>(i0 * I1 + i1) * I2 + i2</c> (other coordinate names with <paramref name="prefix"/>).</summary>
    private static string Offset(ImmutableArray<long> inputs, string prefix = "i")
    {
        var offset = prefix + "0";
        for (var d = 1; d < inputs.Length; d++)
        {
            offset = Invariant($"{(d == 1 ? offset : $"({offset})")} * {inputs[d]} + {prefix}{d}");
        }

        return offset;
    }
}
