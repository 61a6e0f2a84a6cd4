using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>One-pass reductions over one axis (sum, mean, max, min, prod, L1 and L2 norms): one block per row for the last axis, 32 columns per block for an inner one.</summary>
/// <remarks>
/// Float accumulation; mean divides the sum by the reduced length; max and min propagate NaN as torch's do. Two-pass kinds
/// (var, std, logsumexp) and index kinds (argmax, argmin) have kernels of their own (<c>CudaEmitter.TwoPassReductions</c>, <c>CudaEmitter.IndexReductions</c>).
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitReduction(ReductionOp operation)
    {
        var source = operation.Prologue?.SourceShape ?? _values[operation.Source].Shape;
        var reduced = source[operation.Axis];
        var outer = source.Extents[..operation.Axis].Aggregate(1L, (p, e) => p * e);
        var inner = source.Extents[(operation.Axis + 1)..].Aggregate(1L, (p, e) => p * e);
        var what = KernelStem(operation.Kind);
        switch (operation.Kind)
        {
            case ReductionKind.Variance or ReductionKind.StandardDeviation or ReductionKind.LogSumExp when inner == 1:
                EmitTwoPassRowReduction(operation, what, outer, reduced);
                break;
            case ReductionKind.Variance or ReductionKind.StandardDeviation or ReductionKind.LogSumExp:
                EmitTwoPassColumnReduction(operation, what, outer, reduced, inner);
                break;
            case ReductionKind.ArgMax or ReductionKind.ArgMin when inner == 1:
                EmitIndexRowReduction(operation, what, outer, reduced);
                break;
            case ReductionKind.ArgMax or ReductionKind.ArgMin:
                EmitIndexColumnReduction(operation, what, outer, reduced, inner);
                break;
            case var _ when inner == 1:
                EmitRowReduction(operation, what, outer, reduced);
                break;
            default:
                EmitColumnReduction(operation, what, outer, reduced, inner);
                break;
        }
    }

    private static string KernelStem(ReductionKind kind) => kind switch
    {
        ReductionKind.L1Norm => "l1_norm",
        ReductionKind.L2Norm => "l2_norm",
        ReductionKind.Variance => "var",
        ReductionKind.StandardDeviation => "std",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private void EmitRowReduction(ReductionOp operation, string what, long rows, long length)
    {
        var schedule = ScheduleOf(KernelKind.RowReduction);
        if (!CheckRows(operation, rows))
        {
            return;
        }

        var accumulator = Accumulator.For(operation.Kind);
        _helpers |= accumulator.BlockHelpers;
        var name = NextKernelName(what + "_rows");
        var (threads, warps) = (schedule.BlockSize, schedule.BlockSize / 32);
        var vectorized = schedule.VectorWidth == 4 && length % 4 == 0 && operation.Prologue is null;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        var prologue = operation.Prologue is { } fused ? WritePrologue(name, fused) : null;
        if (vectorized)
        {
            WriteRowReductionKernel(w, name + "_vec4", operation, accumulator, threads, warps, schedule.ItemsPerThread, length, vector: true, prologue: null);
        }

        WriteRowReductionKernel(w, name + "_scalar", operation, accumulator, threads, warps, schedule.ItemsPerThread, length, vector: false, prologue);
        if (prologue is null)
        {
            WriteRowLauncher(name, "float", rows, threads, vectorized);
            AddLaunch(name, operation.Source, operation.Result.Name);
        }
        else
        {
            w.Open($"void launch_{name}({prologue.LauncherParameters}float* y, cudaStream_t stream)");
            w.Line($"{name}_scalar<<<{Rows(rows)}, {threads}, 0, stream>>>({prologue.Arguments}y);");
            w.Close();
            w.Line();
            AddLaunch(name, [.. prologue.Loads, operation.Result.Name]);
        }

        var strategy = Invariant($"one block per row ({rows} rows of {length}), {(vectorized ? "float4 loads when aligned, " : "")}{(prologue is null ? "" : "each element computed by the fused elementwise chain, ")}warp-shuffle + shared-memory block reduction");
        AddKernel(name, KernelKind.RowReduction, schedule, operation, strategy);
    }

    /// <summary><c>launch_name(x, y, stream)</c>: one block per row, the float4 kernel when <c>x</c> is 16-byte aligned.</summary>
    private void WriteRowLauncher(string name, string outputType, long rows, int threads, bool vectorized) =>
        WriteRowLauncher(name, $"const float* x, {outputType}* y", "x, y", rows, threads, vectorized);

    /// <summary><c>launch_name(parameters, stream)</c>: one block per row, <c>name_vec4</c> when <c>x</c> is 16-byte aligned, else <c>name_scalar</c>.</summary>
    private void WriteRowLauncher(string name, string parameters, string arguments, long rows, int threads, bool vectorized)
    {
        var w = _kernels;
        w.Open($"void launch_{name}({parameters}, cudaStream_t stream)");
        var launch = Invariant($"<<<{Rows(rows)}, {threads}, 0, stream>>>({arguments});");
        if (vectorized)
        {
            _helpers |= DeviceHelpers.Aligned16;
            w.Open("if (aligned16(x))");
            w.Line($"{name}_vec4{launch}");
            w.Else();
            w.Line($"{name}_scalar{launch}");
            w.Close();
        }
        else
        {
            w.Line($"{name}_scalar{launch}");
        }

        w.Close();
        w.Line();
    }

    private static void WriteRowReductionKernel(CudaWriter w, string name, ReductionOp operation, Accumulator accumulator, int threads, int warps, int unroll, long length, bool vector, FusedCode? prologue)
    {
        w.Open($"__global__ void __launch_bounds__({threads}) {name}({prologue?.KernelParameters ?? "const float* __restrict__ x, "}float* __restrict__ y)");
        w.Line($"__shared__ float s_acc[{warps}];");
        if (prologue is null)
        {
            w.Line(vector
                ? Invariant($"const float4* xr = reinterpret_cast<const float4*>(x) + (int64_t)blockIdx.x * {length / 4};")
                : Invariant($"const float* xr = x + (int64_t)blockIdx.x * {length};"));
        }

        w.Line($"float acc = {accumulator.Identity};");
        w.Directive(Invariant($"#pragma unroll {unroll}"));
        var index = length > int.MaxValue ? "int64_t" : "int";
        w.Open($"for ({index} i = threadIdx.x; i < {(vector ? length / 4 : length)}; i += {threads})");
        if (vector)
        {
            w.Line("const float4 v = __ldg(xr + i);");
            w.Line($"{accumulator.Step("acc", accumulator.Vector4Term())};");
        }
        else
        {
            accumulator.WriteScalarStep(w, prologue is null ? "__ldg(xr + i)" : prologue.Apply("", Invariant($"(int64_t)blockIdx.x * {length} + i")));
        }

        w.Close();
        w.Line(Invariant($"acc = {accumulator.BlockReduce}<{warps}>(acc, s_acc);"));
        w.Line($"if (threadIdx.x == 0) y[blockIdx.x] = {Finish(operation, length)};");
        w.Close();
        w.Line();
    }

    private void EmitColumnReduction(ReductionOp operation, string what, long outer, long reduced, long inner)
    {
        var schedule = ScheduleOf(KernelKind.ColumnReduction);
        var columnBlocks = (inner + 31) / 32;
        var blocks = outer * columnBlocks;
        if (!CheckRows(operation, blocks))
        {
            return;
        }

        var accumulator = Accumulator.For(operation.Kind);
        _helpers |= accumulator.ElementHelpers;
        var name = NextKernelName(what + "_columns");
        var lanes = schedule.BlockSize / 32;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        var prologue = operation.Prologue is { } fused ? WritePrologue(name, fused) : null;
        w.Line($"// Block (32, {lanes}): threadIdx.x walks 32 adjacent columns (coalesced), threadIdx.y splits the {reduced} reduced rows.");
        w.Open($"__global__ void __launch_bounds__({schedule.BlockSize}) {name}({prologue?.KernelParameters ?? "const float* __restrict__ x, "}float* __restrict__ y)");
        w.Line($"__shared__ float s_part[{lanes}][33];  // +1 column: no bank conflicts");
        w.Line($"const int64_t outer = blockIdx.x / {columnBlocks};");
        w.Line($"const int64_t column = (int64_t)(blockIdx.x % {columnBlocks}) * 32 + threadIdx.x;");
        w.Line($"float acc = {accumulator.Identity};");
        w.Open($"if (column < {inner})");
        var load = Invariant($"__ldg(xc + r * {inner})");
        if (prologue is null)
        {
            w.Line($"const float* xc = x + outer * {reduced * inner} + column;");
        }
        else
        {
            load = prologue.Apply("", Invariant($"outer * {reduced * inner} + column + r * {inner}"));
        }

        if (accumulator.IsPlainElement && prologue is null)
        {
            w.Line($"for (int64_t r = threadIdx.y; r < {reduced}; r += {lanes}) {accumulator.Step("acc", load)};");
        }
        else
        {
            w.Open($"for (int64_t r = threadIdx.y; r < {reduced}; r += {lanes})");
            if (prologue is not null && accumulator.IsPlainElement)
            {
                w.Line($"const float v = {load};");
                load = "v";
            }

            accumulator.WriteScalarStep(w, load);
            w.Close();
        }

        w.Close();
        w.Line("s_part[threadIdx.y][threadIdx.x] = acc;");
        w.Line("__syncthreads();");
        w.Open($"if (threadIdx.y == 0 && column < {inner})");
        w.Line($"for (int k = 1; k < {lanes}; ++k) {accumulator.Merge("acc", "s_part[k][threadIdx.x]")};");
        w.Line($"y[outer * {inner} + column] = {Finish(operation, reduced)};");
        w.Close();
        w.Close();
        w.Line();

        w.Open($"void launch_{name}({prologue?.LauncherParameters ?? "const float* x, "}float* y, cudaStream_t stream)");
        w.Line($"{name}<<<{Rows(blocks)}, dim3(32, {lanes}), 0, stream>>>({prologue?.Arguments ?? "x, "}y);");
        w.Close();
        w.Line();
        AddLaunch(name, [.. prologue?.Loads ?? [operation.Source], operation.Result.Name]);
        var strategy = Invariant($"column reduction ({outer} x {inner} outputs over {reduced} rows): 32 columns per block, partial sums over {lanes} thread rows, combined in shared memory{(prologue is null ? "" : ", each element computed by the fused elementwise chain")}");
        AddKernel(name, KernelKind.ColumnReduction, schedule, operation, strategy);
    }

    private static string Finish(ReductionOp operation, long length) => operation.Kind switch
    {
        ReductionKind.Mean => $"acc / {CudaLiteral.Format((float)length)}",
        ReductionKind.L2Norm => "sqrtf(acc)",
        _ => "acc",
    };
}
