using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Softmax and log-softmax over an inner axis: one thread per (outer, inner) column, three passes along the axis.</summary>
/// <remarks>
/// Neighbouring threads own neighbouring columns, so each step along the axis is one coalesced row of reads; the later passes
/// mostly hit L1/L2. Numerics as ATen's: the max first, then the sum of <c>exp(x - max)</c> in float, then
/// <c>exp(x - max) / sum</c>, or <c>x - max - log(sum)</c> for log-softmax.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitAxisSoftmax(AxisSoftmaxOp operation)
    {
        var schedule = ScheduleOf(KernelKind.ColumnReduction);
        var shape = operation.Result.Shape;
        var (outer, length, inner) = (shape.Extents[..operation.Axis].Aggregate(1L, (p, e) => p * e), shape[operation.Axis], shape.Stride(operation.Axis));
        var columns = outer * inner;
        if (columns == 0 || length == 0)
        {
            _diagnostics.Error(operation.Origins.FirstOrDefault(), $"{operation.Describe()} of an empty tensor is not supported by the built-in translator yet.");
            return;
        }

        _helpers |= DeviceHelpers.MaxNan;
        var threads = schedule.BlockSize;
        var blocks = Math.Min((columns + threads - 1) / threads, MaxGridBlocks);
        var name = NextKernelName(operation.IsLog ? "log_softmax_axis" : "softmax_axis");
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"const int64_t stride = (int64_t)gridDim.x * {threads};");
        w.Open(Invariant($"for (int64_t c = (int64_t)blockIdx.x * {threads} + threadIdx.x; c < {columns}; c += stride)"));
        w.Line(Invariant($"const int64_t offset = (c / {inner}) * {length * inner} + c % {inner};"));
        w.Line("const float* xc = x + offset;");
        w.Line("float* yc = y + offset;");
        w.Line("float m = -INFINITY;");
        w.Line(Invariant($"for (int64_t l = 0; l < {length}; ++l) m = kf_max_nan(m, __ldg(xc + l * {inner}));"));
        w.Line("float s = 0.0f;");
        w.Line(Invariant($"for (int64_t l = 0; l < {length}; ++l) s += expf(__ldg(xc + l * {inner}) - m);"));
        if (operation.IsLog)
        {
            w.Line("const float logsum = logf(s);");
        }

        w.Line(operation.IsLog
            ? Invariant($"for (int64_t l = 0; l < {length}; ++l) yc[l * {inner}] = __ldg(xc + l * {inner}) - m - logsum;")
            : Invariant($"for (int64_t l = 0; l < {length}; ++l) yc[l * {inner}] = expf(__ldg(xc + l * {inner}) - m) / s;"));
        w.Close();
        w.Close();
        w.Line();
        w.Open($"void launch_{name}(const float* x, float* y, cudaStream_t stream)");
        w.Line($"{name}<<<{CudaLiteral.Format(blocks)}, {threads}, 0, stream>>>(x, y);");
        w.Close();
        w.Line();
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"one thread per column ({columns} columns of {length}, stride {inner}): max, sum of exp, then write; coalesced across neighbouring columns");
        AddKernel(name, KernelKind.ColumnReduction, schedule, operation, strategy);
    }
}
