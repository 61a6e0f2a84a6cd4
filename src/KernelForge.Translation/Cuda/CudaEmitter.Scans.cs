using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Inclusive scans (cumsum, cumprod, cummax, cummin values; forward or reverse).</summary>
/// <remarks>
/// A scan of the last axis gives each row a block: the row goes through in chunks of block x items elements; each thread
/// scans its items in registers, a warp-shuffle scan combines thread totals, shared memory combines warp totals, and a
/// carry takes the chunk's total to the next chunk. A scan of an inner axis gives each (outer, inner) column a thread that
/// walks the axis in order: neighbouring threads read neighbouring columns, so every step is one coalesced row of reads.
/// Accumulation is float32; the order within a chunk differs from a sequential loop only by rounding, as torch's CUDA scan does.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitScan(ScanOp operation)
    {
        var shape = operation.Result.Shape;
        var (outer, length, inner) = (shape.Extents[..operation.Axis].Aggregate(1L, (p, e) => p * e), shape[operation.Axis], shape.Stride(operation.Axis));
        if (shape.ElementCount == 0)
        {
            _diagnostics.Error(operation.Origins.FirstOrDefault(), $"{operation.Describe()} of an empty tensor is not supported by the built-in translator yet.");
            return;
        }

        var what = "cum" + operation.Kind.ToString().ToLowerInvariant();
        (string Identity, Func<string, string, string> Combine) scan = operation.Kind switch
        {
            ScanKind.Sum => ("0.0f", (a, b) => $"{a} + {b}"),
            ScanKind.Prod => ("1.0f", (a, b) => $"{a} * {b}"),
            ScanKind.Max => ("-INFINITY", (a, b) => $"kf_max_nan({a}, {b})"),
            _ => ("INFINITY", (a, b) => $"kf_min_nan({a}, {b})"),
        };
        _helpers |= operation.Kind switch { ScanKind.Max => DeviceHelpers.MaxNan, ScanKind.Min => DeviceHelpers.MinNan, _ => DeviceHelpers.None };
        var (identity, combine) = scan;
        if (inner == 1)
        {
            EmitRowScan(operation, what, identity, combine, outer, length);
        }
        else
        {
            EmitColumnScan(operation, what, identity, combine, outer, length, inner);
        }
    }

    private void EmitRowScan(ScanOp operation, string what, string identity, Func<string, string, string> combine, long rows, long length)
    {
        var schedule = ScheduleOf(KernelKind.Scan);
        if (!CheckRows(operation, rows))
        {
            return;
        }

        var (threads, items) = (schedule.BlockSize, schedule.ItemsPerThread);
        var name = NextKernelName(what + "_rows");
        var index = operation.Reverse ? Invariant($"{length - 1} - e") : "e";
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Line($"// One block per row; chunks of {threads} x {items}: thread scan in registers, warp-shuffle scan of thread totals, shared memory for warp totals, a carry between chunks.");
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"constexpr int kWarps = {threads / 32}, kItems = {items};");
        w.Line("__shared__ float s_warp[kWarps];");
        w.Line(Invariant($"const float* xr = x + (int64_t)blockIdx.x * {length};"));
        w.Line(Invariant($"float* yr = y + (int64_t)blockIdx.x * {length};"));
        w.Line("const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;");
        w.Line($"float carry = {identity};");
        w.Open(Invariant($"for (int64_t base = 0; base < {length}; base += {threads} * kItems)"));
        w.Line("float v[kItems];");
        w.Directive("#pragma unroll");
        w.Open("for (int j = 0; j < kItems; ++j)");
        w.Line("const int64_t e = base + (int64_t)threadIdx.x * kItems + j;");
        w.Line(Invariant($"v[j] = e < {length} ? __ldg(xr + {index}) : {identity};"));
        w.Close();
        w.Directive("#pragma unroll");
        w.Line($"for (int j = 1; j < kItems; ++j) v[j] = {combine("v[j - 1]", "v[j]")};");
        w.Line("float t = v[kItems - 1];  // becomes the inclusive scan of the warp's thread totals");
        WriteWarpInclusiveScan(w, "t", combine);
        w.Line("if (lane == 31) s_warp[warp] = t;");
        w.Line("__syncthreads();");
        w.Open("if (warp == 0)");
        w.Line($"float s = lane < kWarps ? s_warp[lane] : {identity};");
        WriteWarpInclusiveScan(w, "s", combine);
        w.Line("if (lane < kWarps) s_warp[lane] = s;");
        w.Close();
        w.Line("__syncthreads();");
        w.Line("float before = __shfl_up_sync(0xffffffffu, t, 1);");
        w.Line($"if (lane == 0) before = {identity};");
        w.Line($"float prefix = {combine("carry", "before")};");
        w.Line($"if (warp > 0) prefix = {combine("s_warp[warp - 1]", "prefix")};");
        w.Directive("#pragma unroll");
        w.Open("for (int j = 0; j < kItems; ++j)");
        w.Line("const int64_t e = base + (int64_t)threadIdx.x * kItems + j;");
        w.Line(Invariant($"if (e < {length}) yr[{index}] = {combine("prefix", "v[j]")};"));
        w.Close();
        w.Line($"carry = {combine("carry", "s_warp[kWarps - 1]")};");
        w.Line("__syncthreads();  // s_warp is rewritten by the next chunk");
        w.Close();
        w.Close();
        w.Line();
        w.Open($"void launch_{name}(const float* x, float* y, cudaStream_t stream)");
        w.Line($"{name}<<<{Rows(rows)}, {threads}, 0, stream>>>(x, y);");
        w.Close();
        w.Line();
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"one block per row ({rows} rows of {length}{(operation.Reverse ? ", scanned from the end" : "")}), chunks of {threads * items}: {items} items a thread scanned in registers, warp-shuffle and shared-memory scans of the totals, a carry between chunks");
        AddKernel(name, KernelKind.Scan, schedule, operation, strategy);
    }

    private static void WriteWarpInclusiveScan(CudaWriter w, string value, Func<string, string, string> combine)
    {
        w.Directive("#pragma unroll");
        w.Open("for (int offset = 1; offset < 32; offset <<= 1)");
        w.Line($"const float n = __shfl_up_sync(0xffffffffu, {value}, offset);");
        w.Line($"if (lane >= offset) {value} = {combine("n", value)};");
        w.Close();
    }

    private void EmitColumnScan(ScanOp operation, string what, string identity, Func<string, string, string> combine, long outer, long length, long inner)
    {
        var schedule = ScheduleOf(KernelKind.Scan);
        var threads = schedule.BlockSize;
        var columns = outer * inner;
        var blocks = Math.Min((columns + threads - 1) / threads, MaxGridBlocks);
        var name = NextKernelName(what + "_columns");
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"const int64_t stride = (int64_t)gridDim.x * {threads};");
        w.Open(Invariant($"for (int64_t c = (int64_t)blockIdx.x * {threads} + threadIdx.x; c < {columns}; c += stride)"));
        w.Line(Invariant($"const int64_t offset = (c / {inner}) * {length * inner} + c % {inner};"));
        w.Line("const float* xc = x + offset;");
        w.Line("float* yc = y + offset;");
        w.Line($"float acc = {identity};");
        w.Open(Invariant($"for (int64_t l = 0; l < {length}; ++l)"));
        w.Line(Invariant($"const int64_t at = {(operation.Reverse ? $"({length - 1} - l)" : "l")} * {inner};"));
        w.Line($"acc = {combine("acc", "__ldg(xc + at)")};");
        w.Line("yc[at] = acc;");
        w.Close();
        w.Close();
        w.Close();
        w.Line();
        w.Open($"void launch_{name}(const float* x, float* y, cudaStream_t stream)");
        w.Line($"{name}<<<{CudaLiteral.Format(blocks)}, {threads}, 0, stream>>>(x, y);");
        w.Close();
        w.Line();
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"one thread per column ({columns} columns of {length}{(operation.Reverse ? ", scanned from the end" : "")}), walking the axis in order with coalesced reads across neighbouring columns");
        AddKernel(name, KernelKind.Scan, schedule, operation, strategy);
    }
}
