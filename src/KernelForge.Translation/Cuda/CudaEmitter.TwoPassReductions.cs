using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>var, std and logsumexp: a first pass finds a center (the mean, or the max), a second sums around it.</summary>
/// <remarks>
/// Two passes over the data instead of Welford's one: the second read of a row or a 32-column strip mostly hits cache, and
/// summing squared deviations from the mean is at least as accurate as torch's Welford. logsumexp subtracts the max,
/// taken as 0 when it is infinite, exactly as ATen's <c>logsumexp</c> does, so +inf, -inf and NaN come out as in torch.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitTwoPassRowReduction(ReductionOp operation, string what, long rows, long length)
    {
        var schedule = ScheduleOf(KernelKind.RowReduction);
        if (!CheckRows(operation, rows))
        {
            return;
        }

        var isLse = operation.Kind == ReductionKind.LogSumExp;
        _helpers |= DeviceHelpers.BlockSum | (isLse ? DeviceHelpers.BlockMaxNan : DeviceHelpers.None);
        var name = NextKernelName(what + "_rows");
        var (threads, warps) = (schedule.BlockSize, schedule.BlockSize / 32);
        var vectorized = schedule.VectorWidth == 4 && length % 4 == 0;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        if (vectorized)
        {
            WriteTwoPassRowKernel(w, name + "_vec4", operation, threads, warps, schedule.ItemsPerThread, length, vector: true);
        }

        WriteTwoPassRowKernel(w, name + "_scalar", operation, threads, warps, schedule.ItemsPerThread, length, vector: false);
        WriteRowLauncher(name, "float", rows, threads, vectorized);
        AddLaunch(name, operation.Source, operation.Result.Name);
        var center = isLse ? "the max" : "the mean";
        var strategy = Invariant($"one block per row ({rows} rows of {length}), two passes ({center}, then the sum around it), {(vectorized ? "float4 loads when aligned, " : "")}warp-shuffle + shared-memory block reductions");
        AddKernel(name, KernelKind.RowReduction, schedule, operation, strategy);
    }

    private static void WriteTwoPassRowKernel(CudaWriter w, string name, ReductionOp operation, int threads, int warps, int unroll, long length, bool vector)
    {
        var isLse = operation.Kind == ReductionKind.LogSumExp;
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"__shared__ float s_first[{warps}];");
        w.Line($"__shared__ float s_second[{warps}];");
        w.Line(vector
            ? Invariant($"const float4* xr = reinterpret_cast<const float4*>(x) + (int64_t)blockIdx.x * {length / 4};")
            : Invariant($"const float* xr = x + (int64_t)blockIdx.x * {length};"));
        var index = length > int.MaxValue ? "int64_t" : "int";
        var loop = Invariant($"for ({index} i = threadIdx.x; i < {(vector ? length / 4 : length)}; i += {threads})");
        string[] lanes = vector ? ["v.x", "v.y", "v.z", "v.w"] : ["v"];
        var load = vector ? "const float4 v = __ldg(xr + i);" : "const float v = __ldg(xr + i);";

        w.Line(isLse ? "float acc = -INFINITY;" : "float acc = 0.0f;");
        w.Directive(Invariant($"#pragma unroll {unroll}"));
        w.Open(loop);
        w.Line(load);
        foreach (var lane in lanes)
        {
            w.Line(isLse ? $"acc = kf_max_nan(acc, {lane});" : $"acc += {lane};");
        }

        w.Close();
        if (isLse)
        {
            w.Line(Invariant($"const float top = block_max_nan<{warps}>(acc, s_first);"));
            w.Line("const float center = isinf(top) ? 0.0f : top;  // ATen: maxes.masked_fill_(maxes.abs() == INFINITY, 0)");
        }
        else
        {
            w.Line(Invariant($"const float center = block_sum<{warps}>(acc, s_first) / {CudaLiteral.Format((float)length)};"));
        }

        WriteSecondPass(w, isLse, loop, load, lanes, unroll);
        w.Line(Invariant($"total = block_sum<{warps}>(total, s_second);"));
        w.Line($"if (threadIdx.x == 0) y[blockIdx.x] = {TwoPassFinish(operation, length)};");
        w.Close();
        w.Line();
    }

    private static void WriteSecondPass(CudaWriter w, bool isLse, string loop, string load, string[] lanes, int unroll)
    {
        w.Line("float total = 0.0f;");
        w.Directive(Invariant($"#pragma unroll {unroll}"));

        w.Open(loop);
        w.Line(load);
        for (var k = 0; k < lanes.Length; k++)
        {
            if (isLse)
            {
                w.Line($"total += expf({lanes[k]} - center);");
            }
            else
            {
                w.Line(Invariant($"const float d{k} = {lanes[k]} - center;"));
                w.Line(Invariant($"total += d{k} * d{k};"));
            }
        }

        w.Close();
    }

    private void EmitTwoPassColumnReduction(ReductionOp operation, string what, long outer, long reduced, long inner)
    {
        var schedule = ScheduleOf(KernelKind.ColumnReduction);
        var columnBlocks = (inner + 31) / 32;
        var blocks = outer * columnBlocks;
        if (!CheckRows(operation, blocks))
        {
            return;
        }

        var isLse = operation.Kind == ReductionKind.LogSumExp;
        _helpers |= isLse ? DeviceHelpers.MaxNan : DeviceHelpers.None;
        var name = NextKernelName(what + "_columns");
        var lanes = schedule.BlockSize / 32;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Line($"// Block (32, {lanes}): threadIdx.x walks 32 adjacent columns (coalesced), threadIdx.y splits the {reduced} reduced rows; two passes ({(isLse ? "max" : "mean")}, then the sum around it).");
        w.Open($"__global__ void __launch_bounds__({schedule.BlockSize}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"__shared__ float s_part[{lanes}][33];  // +1 column: no bank conflicts");
        w.Line("__shared__ float s_center[32];");
        w.Line($"const int64_t outer = blockIdx.x / {columnBlocks};");
        w.Line($"const int64_t column = (int64_t)(blockIdx.x % {columnBlocks}) * 32 + threadIdx.x;");
        w.Line($"const float* xc = x + outer * {reduced * inner} + column;");
        w.Line(isLse ? "float acc = -INFINITY;" : "float acc = 0.0f;");
        w.Open($"if (column < {inner})");
        w.Line($"for (int64_t r = threadIdx.y; r < {reduced}; r += {lanes}) {(isLse ? $"acc = kf_max_nan(acc, __ldg(xc + r * {inner}))" : $"acc += __ldg(xc + r * {inner})")};");
        w.Close();
        w.Line("s_part[threadIdx.y][threadIdx.x] = acc;");
        w.Line("__syncthreads();");
        w.Open("if (threadIdx.y == 0)");
        w.Line($"for (int k = 1; k < {lanes}; ++k) {(isLse ? "acc = kf_max_nan(acc, s_part[k][threadIdx.x])" : "acc += s_part[k][threadIdx.x]")};");
        w.Line(isLse
            ? "s_center[threadIdx.x] = isinf(acc) ? 0.0f : acc;  // ATen: maxes.masked_fill_(maxes.abs() == INFINITY, 0)"
            : $"s_center[threadIdx.x] = acc / {CudaLiteral.Format((float)reduced)};");
        w.Close();
        w.Line("__syncthreads();  // s_center is ready; every thread is done reading s_part");
        w.Line("const float center = s_center[threadIdx.x];");
        w.Line("float total = 0.0f;");
        w.Open($"if (column < {inner})");
        w.Open($"for (int64_t r = threadIdx.y; r < {reduced}; r += {lanes})");
        if (isLse)
        {
            w.Line($"total += expf(__ldg(xc + r * {inner}) - center);");
        }
        else
        {
            w.Line($"const float d = __ldg(xc + r * {inner}) - center;");
            w.Line("total += d * d;");
        }

        w.Close();
        w.Close();
        w.Line("s_part[threadIdx.y][threadIdx.x] = total;");
        w.Line("__syncthreads();");
        w.Open($"if (threadIdx.y == 0 && column < {inner})");
        w.Line($"for (int k = 1; k < {lanes}; ++k) total += s_part[k][threadIdx.x];");
        w.Line($"y[outer * {inner} + column] = {TwoPassFinish(operation, reduced)};");
        w.Close();
        w.Close();
        w.Line();

        w.Open($"void launch_{name}(const float* x, float* y, cudaStream_t stream)");
        w.Line($"{name}<<<{Rows(blocks)}, dim3(32, {lanes}), 0, stream>>>(x, y);");
        w.Close();
        w.Line();
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"column reduction ({outer} x {inner} outputs over {reduced} rows): 32 columns per block, two passes ({(isLse ? "the max" : "the mean")}, then the sum around it) over {lanes} thread rows, combined in shared memory");
        AddKernel(name, KernelKind.ColumnReduction, schedule, operation, strategy);
    }

    /// <summary>The result from <c>total</c> (and <c>center</c>): torch divides by <c>max(N - correction, 0)</c>, giving inf or NaN at 0.</summary>
    private static string TwoPassFinish(ReductionOp operation, long length)
    {
        if (operation.Kind == ReductionKind.LogSumExp)
        {
            return "logf(total) + center";
        }

        var divisor = Math.Max(length - operation.Correction, 0.0);
        var variance = divisor > 0 ? $"total / {CudaLiteral.Format((float)divisor)}" : "total * INFINITY";
        return operation.Kind == ReductionKind.StandardDeviation ? $"sqrtf({variance})" : variance;
    }
}
