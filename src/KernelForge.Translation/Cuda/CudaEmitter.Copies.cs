using System.Globalization;
using System.Text.RegularExpressions;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Data movement: flip, permute, transpose (when no matmul folds it), slice, cat and constant pad, each a copy kernel.</summary>
/// <remarks>
/// One thread per output element, grid-stride: the output index is split into coordinates <c>c0…</c> (outermost first), and
/// each op says where that element comes from. Writes are coalesced; reads are too except across permuted axes (a tiled
/// transpose through shared memory is a later schedule).
/// </remarks>
public sealed partial class CudaEmitter
{
    [GeneratedRegex(@"\bc(\d+)\b")]
    private static partial Regex CoordinateUse();

    private void EmitFlip(FlipOp operation)
    {
        var source = _values[operation.Source].Shape;
        EmitCopy(operation, "flip", [operation.Source], "reading the mirrored element", w =>
            w.Line($"y[o] = __ldg(x0 + {SourceOffset(source, d => operation.Axes.Contains(d) ? Invariant($"({source[d] - 1} - c{d})") : Invariant($"c{d}"))});"));
    }

    private void EmitPermute(Operation operation, string source, IReadOnlyList<int> order)
    {
        var shape = _values[source].Shape;
        var position = new int[order.Count];
        for (var i = 0; i < order.Count; i++)
        {
            position[order[i]] = i;
        }

        // Source axis d holds output coordinate c[position[d]].
        EmitCopy(operation, "permute", [source], Invariant($"reading the element at the permuted coordinates ([{string.Join(", ", order)}])"), w =>
            w.Line($"y[o] = __ldg(x0 + {SourceOffset(shape, d => Invariant($"c{position[d]}"))});"));
    }

    private void EmitDiagonal(DiagonalOp operation) =>
        EmitCopy(operation, "diag", [operation.Source], "the vector's element on the diagonal, zero elsewhere", w =>
            w.Line("y[o] = c0 == c1 ? __ldg(x0 + c0) : 0.0f;"));

    private void EmitIota(IotaOp operation) =>
        EmitCopy(operation, "iota", [], Invariant($"start {operation.Start} + step {operation.Step} · index, exact in float32 below 2^24"), w =>
            w.Line(Invariant($"y[o] = (float)({operation.Start}ll + {operation.Step}ll * o);")));

    private void EmitSlice(SliceOp operation)
    {
        // The start is an offset of the pointer the entry passes, not a constant of the kernel: the slices of one tensor
        // (an unrolled recurrence's per-step slices) then share one kernel (ShareIdenticalCode).
        var source = _values[operation.Source].Shape;
        var axisStride = 1L;
        for (var d = operation.Axis + 1; d < source.Rank; d++)
        {
            axisStride *= source[d];
        }

        EmitCopy(operation, "slice", [operation.Source], Invariant($"reading index {operation.Start} + {operation.Step}·i along axis {operation.Axis}"), w =>
            w.Line($"y[o] = __ldg(x0 + {SourceOffset(source, d => d != operation.Axis || operation.Step == 1 ? Invariant($"c{d}") : Invariant($"(c{d} * {operation.Step})"))});"),
            sourceOffsets: [operation.Start * axisStride]);
    }

    private void EmitPad(PadOp operation)
    {
        var source = _values[operation.Source].Shape;
        var padded = Enumerable.Range(0, source.Rank).Where(d => operation.Before[d] != 0 || source[d] != operation.Result.Shape[d]).ToList();
        EmitCopy(operation, "pad", [operation.Source], Invariant($"{CudaLiteral.Format((float)operation.Value)} outside the source, else the source element"), w =>
        {
            foreach (var d in padded)
            {
                w.Line(Invariant($"const int64_t s{d} = c{d} - {operation.Before[d]};"));
            }

            var inside = padded.Count == 0 ? "true" : string.Join(" && ", padded.Select(d => Invariant($"(uint64_t)s{d} < {source[d]}ull")));
            w.Line($"y[o] = {inside} ? __ldg(x0 + {SourceOffset(source, d => padded.Contains(d) ? Invariant($"s{d}") : Invariant($"c{d}"))}) : {CudaLiteral.Format((float)operation.Value)};");
        });
    }

    private void EmitConcat(ConcatOp operation)
    {
        var axis = operation.Axis;
        var shapes = operation.Sources.Select(s => _values[s].Shape).ToList();
        EmitCopy(operation, "cat", operation.Sources, Invariant($"{operation.Sources.Length} sources along axis {axis}"), w =>
        {
            var start = 0L;
            for (var k = 0; k < shapes.Count; k++)
            {
                var shape = shapes[k];
                var end = start + shape[axis];
                var offset = SourceOffset(shape, d => d != axis || start == 0 ? Invariant($"c{d}") : Invariant($"(c{d} - {start})"));
                var read = $"y[o] = __ldg(x{k.ToString(CultureInfo.InvariantCulture)} + {offset});";
                if (k == shapes.Count - 1)
                {
                    w.Line(shapes.Count == 1 ? read : $"else {read}");
                }
                else
                {
                    w.Line(Invariant($"{(k == 0 ? "" : "else ")}if (c{axis} < {end}) {read}"));
                }

                start = end;
            }
        });
    }

    /// <summary>
    /// One copy kernel: reads <paramref name="sources"/> (as <c>x0</c>, <c>x1</c>…, of the C types <paramref name="sourceTypes"/>
    /// names, float by default), writes the operation's result <c>y</c>; <paramref name="body"/> writes <c>y[o]</c> from the
    /// output coordinates <c>c0…</c>. <paramref name="sourceOffsets"/> (elements, one per source) are added to the source
    /// pointers the entry passes.
    /// </summary>
    private void EmitCopy(Operation operation, string what, IReadOnlyList<string> sources, string strategy, Action<CudaWriter> body, IReadOnlyList<string>? sourceTypes = null,
        IReadOnlyList<long>? sourceOffsets = null)
    {
        string SourceType(int k) => sourceTypes?[k] ?? "float";
        var schedule = ScheduleOf(KernelKind.Pointwise);
        var threads = schedule.BlockSize;
        var shape = operation.Result.Shape;
        var count = shape.ElementCount;
        if (count == 0)
        {
            _diagnostics.Error(operation.Origins.FirstOrDefault(), $"{operation.Describe()} is empty; empty results are not supported by the built-in translator yet.");
            return;
        }

        var blocks = Math.Min((count + threads - 1) / threads, MaxGridBlocks);
        var name = NextKernelName(what);
        var inputs = string.Concat(sources.Select((_, k) => Invariant($"const {SourceType(k)}* __restrict__ x{k}, ")));
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Open($"__global__ void __launch_bounds__({threads}) {name}({inputs}float* __restrict__ y)");
        w.Line($"const int64_t stride = (int64_t)gridDim.x * {threads};");
        w.Open($"for (int64_t o = (int64_t)blockIdx.x * {threads} + threadIdx.x; o < {count}; o += stride)");
        // Only the coordinates the body reads are computed (nvcc warns of unused ones; a gather replaces its axis's).
        var bodyText = new CudaWriter();
        body(bodyText);
        var text = bodyText.ToString();
        var used = CoordinateUse().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Where(d => d < shape.Rank).ToHashSet();
        if (used.Count > 0)
        {
            var lowest = used.Min();
            w.Line("int64_t rest = o;");
            for (var d = shape.Rank - 1; d > lowest; d--)
            {
                if (used.Contains(d))
                {
                    w.Line(Invariant($"const int64_t c{d} = rest % {shape[d]};"));
                }

                w.Line(Invariant($"rest /= {shape[d]};"));
            }

            w.Line(lowest == 0 ? "const int64_t c0 = rest;" : Invariant($"const int64_t c{lowest} = rest % {shape[lowest]};"));
        }

        w.Lines(text);
        w.Close();
        w.Close();
        w.Line();
        var parameters = string.Concat(sources.Select((_, k) => Invariant($"const {SourceType(k)}* x{k}, ")));
        var arguments = string.Concat(sources.Select((_, k) => Invariant($"x{k}, ")));
        w.Open($"void launch_{name}({parameters}float* y, cudaStream_t stream)");
        w.Line($"{name}<<<{CudaLiteral.Format(blocks)}, {threads}, 0, stream>>>({arguments}y);");
        w.Close();
        w.Line();
        var pointers = Pointers([.. sources, operation.Result.Name]);
        for (var k = 0; k < (sourceOffsets?.Count ?? 0); k++)
        {
            pointers[k] = sourceOffsets![k] == 0 ? pointers[k] : Invariant($"{pointers[k]} + {sourceOffsets[k]}");
        }

        _entryLines.Add(LaunchCall(name, pointers));
        AddKernel(name, KernelKind.Pointwise, schedule, operation, Invariant($"copy, one thread per output ({count}), {strategy}"));
    }

    /// <summary>The element offset in a contiguous tensor of <paramref name="shape"/> whose coordinate on axis d is <c>coordinate(d)</c>.</summary>
    private static string SourceOffset(Shape shape, Func<int, string> coordinate)
    {
        if (shape.Rank == 0)
        {
            return "0";
        }

        var terms = new List<string>();
        for (var d = 0; d < shape.Rank; d++)
        {
            if (shape[d] == 1)
            {
                continue;  // its coordinate is 0
            }

            var stride = shape.Stride(d);
            terms.Add(stride == 1 ? coordinate(d) : Invariant($"{coordinate(d)} * {stride}"));
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }
}
