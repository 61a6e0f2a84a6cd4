using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Sum, mean and max over one axis: one block per row for the last axis, 32 columns per block for an inner one.</summary>
/// <remarks>Float accumulation; mean divides the sum by the reduced length; max propagates NaN as torch's does.</remarks>
public sealed partial class CudaEmitter
{
    private void EmitReduction(ReductionOp operation)
    {
        var source = _values[operation.Source].Shape;
        var reduced = source[operation.Axis];
        var outer = source.Extents[..operation.Axis].Aggregate(1L, (p, e) => p * e);
        var inner = source.Extents[(operation.Axis + 1)..].Aggregate(1L, (p, e) => p * e);
        var isMax = operation.Kind == ReductionKind.Max;
        var what = operation.Kind.ToString().ToLowerInvariant();
        if (inner == 1)
        {
            EmitRowReduction(operation, what, outer, reduced, isMax);
        }
        else
        {
            EmitColumnReduction(operation, what, outer, reduced, inner, isMax);
        }
    }

    private void EmitRowReduction(ReductionOp operation, string what, long rows, long length, bool isMax)
    {
        var schedule = ScheduleOf(KernelKind.RowReduction);
        if (!CheckRows(operation, rows))
        {
            return;
        }

        _helpers |= isMax ? DeviceHelpers.BlockMaxNan : DeviceHelpers.BlockSum;
        var name = NextKernelName(what + "_rows");
        var (threads, warps) = (schedule.BlockSize, schedule.BlockSize / 32);
        var vectorized = schedule.VectorWidth == 4 && length % 4 == 0;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        if (vectorized)
        {
            WriteRowReductionKernel(w, name + "_vec4", operation, threads, warps, schedule.ItemsPerThread, length, vector: true);
        }

        WriteRowReductionKernel(w, name + "_scalar", operation, threads, warps, schedule.ItemsPerThread, length, vector: false);
        w.Open($"void launch_{name}(const float* x, float* y, cudaStream_t stream)");
        if (vectorized)
        {
            _helpers |= DeviceHelpers.Aligned16;
            w.Open("if (aligned16(x))");
            w.Line($"{name}_vec4<<<{Rows(rows)}, {threads}, 0, stream>>>(x, y);");
            w.Else();
            w.Line($"{name}_scalar<<<{Rows(rows)}, {threads}, 0, stream>>>(x, y);");
            w.Close();
        }
        else
        {
            w.Line($"{name}_scalar<<<{Rows(rows)}, {threads}, 0, stream>>>(x, y);");
        }

        w.Close();
        w.Line();
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"one block per row ({rows} rows of {length}), {(vectorized ? "float4 loads when aligned, " : "")}warp-shuffle + shared-memory block reduction");
        AddKernel(name, KernelKind.RowReduction, schedule, operation, strategy);
    }

    private static void WriteRowReductionKernel(CudaWriter w, string name, ReductionOp operation, int threads, int warps, int unroll, long length, bool vector)
    {
        var isMax = operation.Kind == ReductionKind.Max;
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"__shared__ float s_acc[{warps}];");
        w.Line(vector
            ? Invariant($"const float4* xr = reinterpret_cast<const float4*>(x) + (int64_t)blockIdx.x * {length / 4};")
            : Invariant($"const float* xr = x + (int64_t)blockIdx.x * {length};"));
        w.Line(isMax ? "float acc = -INFINITY;" : "float acc = 0.0f;");
        w.Directive(Invariant($"#pragma unroll {unroll}"));
        var index = length > int.MaxValue ? "int64_t" : "int";
        w.Open($"for ({index} i = threadIdx.x; i < {(vector ? length / 4 : length)}; i += {threads})");
        if (vector)
        {
            w.Line("const float4 v = __ldg(xr + i);");
            w.Line(isMax ? "acc = kf_max_nan(acc, kf_max_nan(kf_max_nan(v.x, v.y), kf_max_nan(v.z, v.w)));" : "acc += (v.x + v.y) + (v.z + v.w);");
        }
        else
        {
            w.Line(isMax ? "acc = kf_max_nan(acc, __ldg(xr + i));" : "acc += __ldg(xr + i);");
        }

        w.Close();
        w.Line(isMax ? Invariant($"acc = block_max_nan<{warps}>(acc, s_acc);") : Invariant($"acc = block_sum<{warps}>(acc, s_acc);"));
        w.Line($"if (threadIdx.x == 0) y[blockIdx.x] = {Finish(operation, length)};");
        w.Close();
        w.Line();
    }

    private void EmitColumnReduction(ReductionOp operation, string what, long outer, long reduced, long inner, bool isMax)
    {
        var schedule = ScheduleOf(KernelKind.ColumnReduction);
        var columnBlocks = (inner + 31) / 32;
        var blocks = outer * columnBlocks;
        if (!CheckRows(operation, blocks))
        {
            return;
        }

        _helpers |= isMax ? DeviceHelpers.MaxNan : DeviceHelpers.None;
        var name = NextKernelName(what + "_columns");
        var lanes = schedule.BlockSize / 32;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Line($"// Block (32, {lanes}): threadIdx.x walks 32 adjacent columns (coalesced), threadIdx.y splits the {reduced} reduced rows.");
        w.Open($"__global__ void __launch_bounds__({schedule.BlockSize}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"__shared__ float s_part[{lanes}][33];  // +1 column: no bank conflicts");
        w.Line($"const int64_t outer = blockIdx.x / {columnBlocks};");
        w.Line($"const int64_t column = (int64_t)(blockIdx.x % {columnBlocks}) * 32 + threadIdx.x;");
        w.Line(isMax ? "float acc = -INFINITY;" : "float acc = 0.0f;");
        w.Open($"if (column < {inner})");
        w.Line($"const float* xc = x + outer * {reduced * inner} + column;");
        w.Line($"for (int64_t r = threadIdx.y; r < {reduced}; r += {lanes}) {(isMax ? $"acc = kf_max_nan(acc, __ldg(xc + r * {inner}))" : $"acc += __ldg(xc + r * {inner})")};");
        w.Close();
        w.Line("s_part[threadIdx.y][threadIdx.x] = acc;");
        w.Line("__syncthreads();");
        w.Open($"if (threadIdx.y == 0 && column < {inner})");
        w.Line($"for (int k = 1; k < {lanes}; ++k) {(isMax ? "acc = kf_max_nan(acc, s_part[k][threadIdx.x])" : "acc += s_part[k][threadIdx.x]")};");
        w.Line($"y[outer * {inner} + column] = {Finish(operation, reduced)};");
        w.Close();
        w.Close();
        w.Line();

        w.Open($"void launch_{name}(const float* x, float* y, cudaStream_t stream)");
        w.Line($"{name}<<<{Rows(blocks)}, dim3(32, {lanes}), 0, stream>>>(x, y);");
        w.Close();
        w.Line();
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"column reduction ({outer} x {inner} outputs over {reduced} rows): 32 columns per block, partial sums over {lanes} thread rows, combined in shared memory");
        AddKernel(name, KernelKind.ColumnReduction, schedule, operation, strategy);
    }

    private static string Finish(ReductionOp operation, long length) =>
        operation.Kind == ReductionKind.Mean ? $"acc / {CudaLiteral.Format((float)length)}" : "acc";
}
