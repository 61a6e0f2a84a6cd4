using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Inclusive scans (cumsum, cumprod, cummax, cummin values; forward or reverse), read from a view and written into a padded result.</summary>
/// <remarks>
/// A scan whose result lines along the axis are contiguous gives each line a block: the line goes through in chunks of
/// block x items elements; each thread scans its items in registers, a warp-shuffle scan combines thread totals, shared
/// memory combines warp totals, and a carry takes the chunk's total to the next chunk. Otherwise each line gets a thread that
/// walks the axis in order: neighbouring threads read neighbouring lines, so every step is one coalesced row of reads.
/// Accumulation is float32; the order within a chunk differs from a sequential loop only by rounding, as torch's CUDA scan does.
/// A <see cref="ScanOp.SourceView"/> is read in place; with a <see cref="ScanOp.Border"/> each block or thread also writes
/// the border of its line (or all of a line that lies in the border), so a padded scan is still one kernel and no workspace.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitScan(ScanOp operation)
    {
        var shape = operation.ScannedShape;
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
        if (operation.Result.Shape.Stride(operation.Axis) == 1)
        {
            EmitRowScan(operation, what, identity, combine, operation.Result.Shape.ElementCount / operation.Result.Shape[operation.Axis], length);
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
        var read = IsWindowed(operation) ? ScaledIndex(index, SourceViewOf(operation).ElementStrides[operation.Axis]) : index;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Line($"// One block per row; chunks of {threads} x {items}: thread scan in registers, warp-shuffle scan of thread totals, shared memory for warp totals, a carry between chunks.");
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"constexpr int kWarps = {threads / 32}, kItems = {items};");
        w.Line("__shared__ float s_warp[kWarps];");
        if (IsWindowed(operation))
        {
            WriteWindowedRowStart(w, operation, threads);
        }
        else
        {
            w.Line(Invariant($"const float* xr = x + (int64_t)blockIdx.x * {length};"));
            w.Line(Invariant($"float* yr = y + (int64_t)blockIdx.x * {length};"));
        }

        w.Line("const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;");
        w.Line($"float carry = {identity};");
        w.Open(Invariant($"for (int64_t base = 0; base < {length}; base += {threads} * kItems)"));
        w.Line("float v[kItems];");
        w.Directive("#pragma unroll");
        w.Open("for (int j = 0; j < kItems; ++j)");
        w.Line("const int64_t e = base + (int64_t)threadIdx.x * kItems + j;");
        w.Line(Invariant($"v[j] = e < {length} ? __ldg(xr + {read}) : {identity};"));
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
        var strategy = Invariant($"one block per row ({rows} rows of {length}{(operation.Reverse ? ", scanned from the end" : "")}), chunks of {threads * items}: {items} items a thread scanned in registers, warp-shuffle and shared-memory scans of the totals, a carry between chunks{WindowStrategy(operation)}");
        AddKernel(name, KernelKind.Scan, schedule, operation, strategy);
    }

    /// <summary>Points <c>xr</c> and <c>yr</c> at the block's line of the view and of the result, after writing the line's border (all of it, and returning, for a line outside the scan).</summary>
    private static void WriteWindowedRowStart(CudaWriter w, ScanOp operation, int threads)
    {
        var (result, axis) = (operation.Result.Shape, operation.Axis);
        var (start, inside) = WriteLineCoordinates(w, "blockIdx.x", operation);
        w.Line(Invariant($"float* yr = y + (int64_t)blockIdx.x * {result[axis]};"));
        if (operation.Border is not { } border)
        {
            w.Line($"const float* xr = x + {start};");
            return;
        }

        var fill = CudaLiteral.Format((float)border.Value);
        if (inside is not null)
        {
            w.Open($"if (!({inside}))");
            w.Line(Invariant($"for (int64_t e = threadIdx.x; e < {result[axis]}; e += {threads}) yr[e] = {fill};"));
            w.Line("return;  // the whole block: its row lies in the border");
            w.Close();
        }

        var (before, after) = (border.Before[axis], border.After(result, axis));
        if (before > 0)
        {
            w.Line(Invariant($"for (int64_t e = threadIdx.x; e < {before}; e += {threads}) yr[e] = {fill};"));
        }

        if (after > 0)
        {
            w.Line(Invariant($"for (int64_t e = {result[axis] - after} + threadIdx.x; e < {result[axis]}; e += {threads}) yr[e] = {fill};"));
        }

        if (before > 0)
        {
            w.Line(Invariant($"yr += {before};"));
        }

        w.Line($"const float* xr = x + {start};");
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
        var result = operation.Result.Shape;
        var columns = IsWindowed(operation) ? result.ElementCount / result[operation.Axis] : outer * inner;
        var blocks = Math.Min((columns + threads - 1) / threads, MaxGridBlocks);
        var name = NextKernelName(what + "_columns");
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, float* __restrict__ y)");
        w.Line($"const int64_t stride = (int64_t)gridDim.x * {threads};");
        w.Open(Invariant($"for (int64_t c = (int64_t)blockIdx.x * {threads} + threadIdx.x; c < {columns}; c += stride)"));
        if (IsWindowed(operation))
        {
            WriteWindowedColumn(w, operation, identity, combine, length);
        }
        else
        {
            w.Line(Invariant($"const int64_t offset = (c / {inner}) * {length * inner} + c % {inner};"));
            w.Line("const float* xc = x + offset;");
            w.Line("float* yc = y + offset;");
            w.Line($"float acc = {identity};");
            w.Open(Invariant($"for (int64_t l = 0; l < {length}; ++l)"));
            w.Line(Invariant($"const int64_t at = {(operation.Reverse ? $"({length - 1} - l)" : "l")} * {inner};"));
            w.Line($"acc = {combine("acc", "__ldg(xc + at)")};");
            w.Line("yc[at] = acc;");
            w.Close();
        }

        w.Close();
        w.Close();
        w.Line();
        w.Open($"void launch_{name}(const float* x, float* y, cudaStream_t stream)");
        w.Line($"{name}<<<{CudaLiteral.Format(blocks)}, {threads}, 0, stream>>>(x, y);");
        w.Close();
        w.Line();
        AddLaunch(name, operation.Source, operation.Result.Name);
        var strategy = Invariant($"one thread per column ({columns} columns of {length}{(operation.Reverse ? ", scanned from the end" : "")}), walking the axis in order with coalesced reads across neighbouring columns{WindowStrategy(operation)}");
        AddKernel(name, KernelKind.Scan, schedule, operation, strategy);
    }

    /// <summary>The body of a column scan's loop over columns <c>c</c> of the result when it reads a view or writes a border.</summary>
    private static void WriteWindowedColumn(CudaWriter w, ScanOp operation, string identity, Func<string, string, string> combine, long length)
    {
        var (result, axis) = (operation.Result.Shape, operation.Axis);
        var step = result.Stride(axis);
        var (start, inside) = WriteLineCoordinates(w, "c", operation);
        w.Line(Invariant($"float* yc = y + (c / {step}) * {result[axis] * step} + c % {step};"));
        var before = 0L;
        if (operation.Border is { } border)
        {
            var fill = CudaLiteral.Format((float)border.Value);
            if (inside is not null)
            {
                w.Open($"if (!({inside}))");
                w.Line(Invariant($"for (int64_t l = 0; l < {result[axis]}; ++l) yc[l * {step}] = {fill};"));
                w.Line("continue;  // the column lies in the border");
                w.Close();
            }

            (before, var after) = (border.Before[axis], border.After(result, axis));
            if (before > 0)
            {
                w.Line(Invariant($"for (int64_t l = 0; l < {before}; ++l) yc[l * {step}] = {fill};"));
            }

            if (after > 0)
            {
                w.Line(Invariant($"for (int64_t l = {result[axis] - after}; l < {result[axis]}; ++l) yc[l * {step}] = {fill};"));
            }
        }

        w.Line($"const float* xc = x + {start};");
        w.Line($"float acc = {identity};");
        w.Open(Invariant($"for (int64_t l = 0; l < {length}; ++l)"));
        w.Line(Invariant($"const int64_t at = {(operation.Reverse ? $"{length - 1} - l" : "l")};"));
        w.Line($"acc = {combine("acc", $"__ldg(xc + {ScaledIndex("at", SourceViewOf(operation).ElementStrides[axis])})")};");
        w.Line(before > 0 ? Invariant($"yc[({before} + at) * {step}] = acc;") : Invariant($"yc[at * {step}] = acc;"));
        w.Close();
    }

    /// <summary>
    /// Writes the coordinates <c>c0…</c> of result line <paramref name="line"/> (every result axis but the scanned one, row
    /// major) and returns the C expressions for where that line starts in the source and for the line being part of the scan
    /// (null: every line is).
    /// </summary>
    private static (string SourceStart, string? Inside) WriteLineCoordinates(CudaWriter w, string line, ScanOp operation)
    {
        var (result, scanned, view) = (operation.Result.Shape, operation.ScannedShape, SourceViewOf(operation));
        var axes = Enumerable.Range(0, result.Rank).Where(d => d != operation.Axis && result[d] != 1).ToList();
        if (axes.Count > 1)
        {
            w.Line($"int64_t rest = {line};");
            foreach (var d in Enumerable.Reverse(axes).SkipLast(1))
            {
                w.Line(Invariant($"const int64_t c{d} = rest % {result[d]};"));
                w.Line(Invariant($"rest /= {result[d]};"));
            }
        }

        if (axes.Count > 0)
        {
            w.Line(Invariant($"const int64_t c{axes[0]} = {(axes.Count > 1 ? "rest" : line)};"));
        }

        var terms = view.ElementOffset == 0 ? new List<string>() : [CudaLiteral.Format(view.ElementOffset)];
        var checks = new List<string>();
        foreach (var d in axes)
        {
            var before = operation.Border?.Before[d] ?? 0;
            var coordinate = before == 0 ? Invariant($"c{d}") : Invariant($"(c{d} - {before})");
            if (operation.Border?.Pads(result, d) == true)
            {
                checks.Add(Invariant($"(uint64_t){coordinate} < {scanned[d]}ull"));
            }

            if (scanned[d] != 1 && view.ElementStrides[d] != 0)
            {
                terms.Add(ScaledIndex(coordinate, view.ElementStrides[d]));
            }
        }

        return (terms.Count == 0 ? "0" : string.Join(" + ", terms), checks.Count == 0 ? null : string.Join(" && ", checks));
    }

    private static bool IsWindowed(ScanOp operation) => operation.SourceView is not null || operation.Border is not null;

    private static StridedView SourceViewOf(ScanOp operation) => operation.SourceView ?? StridedView.Contiguous(operation.ScannedShape);

    /// <summary><paramref name="index"/> times <paramref name="stride"/>, parenthesized where it needs to be.</summary>
    private static string ScaledIndex(string index, long stride)
    {
        var atom = index.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || (index.StartsWith('(') && index.IndexOf(')', StringComparison.Ordinal) == index.Length - 1);
        return stride == 1 ? index : Invariant($"{(atom ? index : $"({index})")} * {stride}");
    }

    private static string WindowStrategy(ScanOp operation)
    {
        var view = operation.SourceView is { } source ? Invariant($", reading {operation.Source} in place ({source}, no copy)") : "";
        var border = operation.Border is { } placed
            ? Invariant($", writing into {operation.Result.Shape} at [{string.Join(", ", placed.Before.Select(CudaLiteral.Format))}] and {CudaLiteral.Format((float)placed.Value)} around it in the same kernel (the pad, no intermediate)")
            : "";
        return view + border;
    }
}
