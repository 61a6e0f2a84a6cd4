using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Fused elementwise kernels: an inlined <c>apply</c> function, a <c>float4</c> grid-stride kernel, and a scalar one for the tail or misaligned pointers.</summary>
public sealed partial class CudaEmitter
{
    private void EmitPointwise(FusedPointwiseOp operation)
    {
        var schedule = ScheduleOf(KernelKind.Pointwise);
        var name = NextKernelName("pointwise");
        var output = operation.Result.Shape;
        var count = output.ElementCount;
        var leaves = operation.Operands;
        var indices = leaves.Select(leaf => LeafIndex.Classify(_values[leaf].Shape, output)).ToList();
        var (threads, unroll) = (schedule.BlockSize, schedule.ItemsPerThread);
        var vectors = schedule.VectorWidth == 4 ? count / 4 : 0;

        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Expression}");
        var (statements, result) = ExpressionWriter.Write(operation.Expression, leaf => Invariant($"a{Index(leaves, leaf)}"));
        UseExpressionHelpers(statements);
        w.Open($"__device__ __forceinline__ float {name}_apply({string.Join(", ", leaves.Select((_, j) => $"float a{j}"))})");
        foreach (var statement in statements)
        {
            w.Line(statement);
        }

        w.Line($"return {result};");
        w.Close();
        w.Line();

        for (var j = 0; j < leaves.Count; j++)
        {
            if (indices[j].Pattern == LeafPattern.General)
            {
                w.Line($"__device__ __forceinline__ int64_t {name}_index{j}(int64_t j) {{ return {indices[j].Index("j")}; }}");
                w.Line();
            }
        }

        var inputs = string.Concat(leaves.Select((_, j) => Invariant($"const float* __restrict__ in{j}, ")));
        if (vectors > 0)
        {
            WriteVectorKernel(w, name, indices, inputs, threads, unroll);
        }

        w.Open($"__global__ void __launch_bounds__({threads}) {name}_scalar({inputs}float* __restrict__ out, int64_t begin, int64_t n)");
        w.Line($"const int64_t stride = (int64_t)gridDim.x * {threads};");
        w.Open($"for (int64_t j = begin + (int64_t)blockIdx.x * {threads} + threadIdx.x; j < n; j += stride)");
        var arguments = indices.Select((index, j) => index.Pattern == LeafPattern.General ? Invariant($"__ldg(in{j} + {name}_index{j}(j))") : Invariant($"__ldg(in{j} + {index.Index("j")})"));
        w.Line($"out[j] = {name}_apply({string.Join(", ", arguments)});");
        w.Close();
        w.Close();
        w.Line();

        var parameters = string.Concat(leaves.Select((_, j) => Invariant($"const float* in{j}, ")));
        var call = string.Concat(leaves.Select((_, j) => Invariant($"in{j}, ")));
        w.Open($"void launch_{name}({parameters}float* out, cudaStream_t stream)");
        w.Line($"constexpr int64_t kN = {count};");
        w.Line("int64_t done = 0;");
        if (vectors > 0)
        {
            _helpers |= DeviceHelpers.Aligned16;
            var aligned = leaves.Select((_, j) => j).Where(j => indices[j].LoadsVectors).Select(j => Invariant($"aligned16(in{j}) && "));
            w.Open($"if ({string.Concat(aligned)}aligned16(out))");
            var blocks = Math.Min((vectors + threads * unroll - 1) / (threads * unroll), MaxGridBlocks);
            w.Line($"{name}_vec4<<<{blocks}, {threads}, 0, stream>>>({call}out, {vectors});");
            w.Line($"done = {vectors * 4};");
            w.Close();
        }

        w.Open("if (done < kN)");
        w.Line($"const int64_t blocks = (kN - done + {threads - 1}) / {threads};");
        w.Line($"{name}_scalar<<<(unsigned)(blocks < {MaxGridBlocks} ? blocks : {MaxGridBlocks}), {threads}, 0, stream>>>({call}out, done, kN);");
        w.Close();
        w.Close();
        w.Line();

        AddLaunch(name, [.. leaves, operation.Result.Name]);
        var strategy = vectors > 0
            ? Invariant($"fused elementwise over {count} elements: float4 grid-stride loop ({unroll} float4 per thread per step) when aligned, scalar loop for the rest")
            : Invariant($"fused elementwise over {count} elements: scalar grid-stride loop");
        AddKernel(name, KernelKind.Pointwise, schedule, operation, strategy);
    }

    private static void WriteVectorKernel(CudaWriter w, string name, List<LeafIndex> indices, string inputs, int threads, int unroll)
    {
        w.Open($"__global__ void __launch_bounds__({threads}) {name}_vec4({inputs}float* __restrict__ out, int64_t n4)");
        w.Line($"constexpr int64_t kTile = {threads * unroll};  // float4 per block per step");
        for (var j = 0; j < indices.Count; j++)
        {
            if (indices[j].Pattern == LeafPattern.Scalar)
            {
                w.Line($"const float a{j} = __ldg(in{j});");
            }
        }

        w.Open("for (int64_t base = (int64_t)blockIdx.x * kTile + threadIdx.x; base < n4; base += (int64_t)gridDim.x * kTile)");
        for (var j = 0; j < indices.Count; j++)
        {
            if (indices[j].Pattern != LeafPattern.Scalar)
            {
                w.Line($"{(indices[j].SharedAcrossVector ? "float" : "float4")} a{j}[{unroll}];");
            }
        }

        // All loads are issued before the first store, as in examples/relu_abi.cu.
        WriteUnrolledStep(w, threads, unroll, () =>
        {
            for (var j = 0; j < indices.Count; j++)
            {
                var index = indices[j];
                if (index.Pattern == LeafPattern.Scalar)
                {
                    continue;
                }

                w.Line(index switch
                {
                    { LoadsVectors: true, Pattern: LeafPattern.Same } => Invariant($"a{j}[k] = __ldg(reinterpret_cast<const float4*>(in{j}) + i);"),
                    { LoadsVectors: true } => Invariant($"a{j}[k] = __ldg(reinterpret_cast<const float4*>(in{j}) + i % {index.Period / 4});"),
                    { SharedAcrossVector: true } => Invariant($"a{j}[k] = __ldg(in{j} + i / {index.Inner / 4});"),
                    _ => Invariant($"a{j}[k] = make_float4({string.Join(", ", Enumerable.Range(0, 4).Select(lane => Gather(name, j, index, lane)))});"),
                });
            }
        });
        WriteUnrolledStep(w, threads, unroll, () =>
        {
            w.Line("float4 r;");
            foreach (var lane in "xyzw")
            {
                var arguments = indices.Select((index, j) => index.Pattern == LeafPattern.Scalar || index.SharedAcrossVector ? (index.Pattern == LeafPattern.Scalar ? Invariant($"a{j}") : Invariant($"a{j}[k]")) : Invariant($"a{j}[k].{lane}"));
                w.Line($"r.{lane} = {name}_apply({string.Join(", ", arguments)});");
            }

            w.Line("reinterpret_cast<float4*>(out)[i] = r;");
        });
        w.Close();
        w.Close();
        w.Line();
    }

    private static string Gather(string name, int j, LeafIndex index, int lane)
    {
        var element = lane == 0 ? "i * 4" : Invariant($"i * 4 + {lane}");
        return index.Pattern == LeafPattern.General ? Invariant($"__ldg(in{j} + {name}_index{j}({element}))") : Invariant($"__ldg(in{j} + {index.Index(element)})");
    }

    private static void WriteUnrolledStep(CudaWriter w, int threads, int unroll, Action body)
    {
        w.Directive("#pragma unroll");
        w.Open($"for (int k = 0; k < {unroll}; ++k)");
        w.Line($"const int64_t i = base + (int64_t)k * {threads};");
        w.Open("if (i < n4)");
        body();
        w.Close();
        w.Close();
    }

    private static int Index(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        throw new ArgumentException($"{item} is not in the list.", nameof(item));
    }
}
