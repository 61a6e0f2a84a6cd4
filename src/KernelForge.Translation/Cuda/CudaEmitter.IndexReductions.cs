using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>argmax and argmin: (value, index) pairs merged by a strict total order, written as int64.</summary>
/// <remarks>
/// The order is torch's: NaN beats every number, then the larger (argmax) or smaller (argmin) value, then the lower index;
/// so ties give the first index, and the result does not depend on how the threads split the axis. Indices are
/// <c>int</c> inside the kernel (the reduced extent is checked to fit) and widened on the store.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitIndexRowReduction(ReductionOp operation, string what, long rows, long length)
    {
        var schedule = ScheduleOf(KernelKind.RowReduction);
        if (!CheckRows(operation, rows) || !CheckIndexRange(operation, length))
        {
            return;
        }

        var isMax = operation.Kind == ReductionKind.ArgMax;
        _helpers |= isMax ? DeviceHelpers.BlockArgMax : DeviceHelpers.BlockArgMin;
        var name = NextKernelName(what + "_rows");
        var (threads, warps) = (schedule.BlockSize, schedule.BlockSize / 32);
        var vectorized = schedule.VectorWidth == 4 && length % 4 == 0;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        if (vectorized)
        {
            WriteIndexRowKernel(w, name + "_vec4", isMax, threads, warps, schedule.ItemsPerThread, length, vector: true);
        }

        WriteIndexRowKernel(w, name + "_scalar", isMax, threads, warps, schedule.ItemsPerThread, length, vector: false);
        WriteRowLauncher(name, "int64_t", rows, threads, vectorized);
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"one block per row ({rows} rows of {length}), {(vectorized ? "float4 loads when aligned, " : "")}(value, index) pairs reduced by warp shuffles + shared memory, first index on ties");
        AddKernel(name, KernelKind.RowReduction, schedule, operation, strategy);
    }

    private static void WriteIndexRowKernel(CudaWriter w, string name, bool isMax, int threads, int warps, int unroll, long length, bool vector)
    {
        var which = isMax ? "argmax" : "argmin";
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, int64_t* __restrict__ y)");
        w.Line($"__shared__ float s_value[{warps}];");
        w.Line($"__shared__ int s_index[{warps}];");
        w.Line(vector
            ? Invariant($"const float4* xr = reinterpret_cast<const float4*>(x) + (int64_t)blockIdx.x * {length / 4};")
            : Invariant($"const float* xr = x + (int64_t)blockIdx.x * {length};"));
        w.Line($"float best = {(isMax ? "-INFINITY" : "INFINITY")};");
        w.Line("int arg = 0x7fffffff;  // above every index: loses every tie");
        w.Directive(Invariant($"#pragma unroll {unroll}"));
        w.Open(Invariant($"for (int i = threadIdx.x; i < {(vector ? length / 4 : length)}; i += {threads})"));
        if (vector)
        {
            w.Line("const float4 v = __ldg(xr + i);");
            w.Line($"kf_{which}_step(best, arg, v.x, 4 * i);");
            w.Line($"kf_{which}_step(best, arg, v.y, 4 * i + 1);");
            w.Line($"kf_{which}_step(best, arg, v.z, 4 * i + 2);");
            w.Line($"kf_{which}_step(best, arg, v.w, 4 * i + 3);");
        }
        else
        {
            w.Line($"kf_{which}_step(best, arg, __ldg(xr + i), i);");
        }

        w.Close();
        w.Line(Invariant($"block_{which}<{warps}>(best, arg, s_value, s_index);"));
        w.Line("if (threadIdx.x == 0) y[blockIdx.x] = (int64_t)arg;");
        w.Close();
        w.Line();
    }

    private void EmitIndexColumnReduction(ReductionOp operation, string what, long outer, long reduced, long inner)
    {
        var schedule = ScheduleOf(KernelKind.ColumnReduction);
        var columnBlocks = (inner + 31) / 32;
        var blocks = outer * columnBlocks;
        if (!CheckRows(operation, blocks) || !CheckIndexRange(operation, reduced))
        {
            return;
        }

        var which = operation.Kind == ReductionKind.ArgMax ? "argmax" : "argmin";
        _helpers |= operation.Kind == ReductionKind.ArgMax ? DeviceHelpers.ArgMax : DeviceHelpers.ArgMin;
        var name = NextKernelName(what + "_columns");
        var lanes = schedule.BlockSize / 32;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Line($"// Block (32, {lanes}): threadIdx.x walks 32 adjacent columns (coalesced), threadIdx.y splits the {reduced} reduced rows.");
        w.Open($"__global__ void __launch_bounds__({schedule.BlockSize}) {name}(const float* __restrict__ x, int64_t* __restrict__ y)");
        w.Line($"__shared__ float s_value[{lanes}][33];  // +1 column: no bank conflicts");
        w.Line($"__shared__ int s_index[{lanes}][33];");
        w.Line($"const int64_t outer = blockIdx.x / {columnBlocks};");
        w.Line($"const int64_t column = (int64_t)(blockIdx.x % {columnBlocks}) * 32 + threadIdx.x;");
        w.Line($"float best = {(operation.Kind == ReductionKind.ArgMax ? "-INFINITY" : "INFINITY")};");
        w.Line("int arg = 0x7fffffff;  // above every index: loses every tie");
        w.Open($"if (column < {inner})");
        w.Line($"const float* xc = x + outer * {reduced * inner} + column;");
        w.Line($"for (int r = threadIdx.y; r < {reduced}; r += {lanes}) kf_{which}_step(best, arg, __ldg(xc + (int64_t)r * {inner}), r);");
        w.Close();
        w.Line("s_value[threadIdx.y][threadIdx.x] = best;");
        w.Line("s_index[threadIdx.y][threadIdx.x] = arg;");
        w.Line("__syncthreads();");
        w.Open($"if (threadIdx.y == 0 && column < {inner})");
        w.Line($"for (int k = 1; k < {lanes}; ++k) kf_{which}_step(best, arg, s_value[k][threadIdx.x], s_index[k][threadIdx.x]);");
        w.Line($"y[outer * {inner} + column] = (int64_t)arg;");
        w.Close();
        w.Close();
        w.Line();

        w.Open($"void launch_{name}(const float* x, int64_t* y, cudaStream_t stream)");
        w.Line($"{name}<<<{Rows(blocks)}, dim3(32, {lanes}), 0, stream>>>(x, y);");
        w.Close();
        w.Line();
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"column {which} ({outer} x {inner} outputs over {reduced} rows): 32 columns per block, (value, index) pairs over {lanes} thread rows, merged in shared memory, first index on ties");
        AddKernel(name, KernelKind.ColumnReduction, schedule, operation, strategy);
    }

    private bool CheckIndexRange(ReductionOp operation, long length)
    {
        if (length < int.MaxValue)
        {
            return true;
        }

        _diagnostics.Error(operation.Origins.FirstOrDefault(), Invariant($"{operation.Describe()} reduces {length} elements; argmax/argmin index in 32 bits here, so at most 2^31 - 2."));
        return false;
    }
}
