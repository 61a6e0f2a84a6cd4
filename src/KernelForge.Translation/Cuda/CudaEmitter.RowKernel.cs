using System.Text.RegularExpressions;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>The frame the row normalizations share: register and generic kernels, the launcher choosing between them, and the plan.</summary>
public sealed partial class CudaEmitter
{
    [GeneratedRegex(@"\bi\b")]
    private static partial Regex IndexUse();

    /// <summary>
    /// Rows of <see cref="Length"/> floats, one block of <see cref="Threads"/> each; <see cref="Vectors"/> float4s of the row per
    /// thread in registers (0 when the row takes the generic kernel only); <see cref="Guard"/> when the last float4s are partial.
    /// </summary>
    private sealed record RowPlan(long Rows, long Length, int Threads, int Vectors, bool Guard)
    {
        public int Warps => Threads / 32;

        public long Length4 => Length / 4;
    }

    private static RowPlan PlanRows(Shape shape, Schedule schedule)
    {
        var length = shape.Last;
        var rows = length == 0 ? 0 : shape.ElementCount / length;
        var length4 = length / 4;
        var vectors = (length4 + schedule.BlockSize - 1) / schedule.BlockSize;
        var inRegisters = schedule.VectorWidth == 4 && length % 4 == 0 && length4 > 0 && vectors <= schedule.ItemsPerThread;
        return new RowPlan(rows, length, schedule.BlockSize, inRegisters ? (int)vectors : 0, inRegisters && vectors * schedule.BlockSize != length4);
    }

    private void EmitRowKernel(
        Operation operation, string kind, string[] scratch, string source, string? weight, string? bias,
        Action<CudaWriter, RowPlan> registerBody, Action<CudaWriter, RowPlan> genericBody)
    {
        var schedule = ScheduleOf(KernelKind.RowNormalization);
        var plan = PlanRows(operation.Result.Shape, schedule);
        if (!CheckRows(operation, plan.Rows))
        {
            return;
        }

        var name = NextKernelName(kind);
        var epsilon = operation switch
        {
            RowLayerNormOp layerNorm => (float?)layerNorm.Epsilon,
            RowRmsNormOp rmsNorm => (float)rmsNorm.Epsilon,
            _ => null,
        };
        var vectorNames = Names(weight is null ? null : "w", bias is null ? null : "b");
        var parameters = string.Concat(vectorNames.Prepend("x").Select(p => $"const float* __restrict__ {p}, "));
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        if (plan.Vectors > 0)
        {
            w.Open($"__global__ void __launch_bounds__({plan.Threads}) {name}_reg({parameters}float* __restrict__ y)");
            w.Line($"constexpr int kD4 = {plan.Length4};");
            w.Line($"constexpr int kVpt = {plan.Vectors};  // float4 of the row per thread");
            WriteRowPrologue(w, plan, scratch, epsilon);
            w.Line("const float4* xr = reinterpret_cast<const float4*>(x) + (int64_t)blockIdx.x * kD4;");
            w.Line("float4* yr = reinterpret_cast<float4*>(y) + (int64_t)blockIdx.x * kD4;");
            foreach (var vector in vectorNames)
            {
                w.Line($"const float4* {vector}4 = reinterpret_cast<const float4*>({vector});");
            }

            w.Line("float4 v[kVpt];");
            registerBody(w, plan);
            w.Close();
            w.Line();
        }

        w.Open($"__global__ void __launch_bounds__({plan.Threads}) {name}_generic({parameters}float* __restrict__ y)");
        w.Line($"constexpr int64_t kD = {plan.Length};");
        WriteRowPrologue(w, plan, scratch, epsilon);
        w.Line("const float* xr = x + (int64_t)blockIdx.x * kD;");
        w.Line("float* yr = y + (int64_t)blockIdx.x * kD;");
        genericBody(w, plan);
        w.Close();
        w.Line();

        var call = string.Concat(vectorNames.Prepend("x").Select(p => p + ", ")) + "y";
        w.Open($"void launch_{name}({string.Concat(vectorNames.Prepend("x").Select(p => $"const float* {p}, "))}float* y, cudaStream_t stream)");
        var launch = Invariant($"<<<{Rows(plan.Rows)}, {plan.Threads}, 0, stream>>>({call});");
        if (plan.Vectors > 0)
        {
            _helpers |= DeviceHelpers.Aligned16;
            w.Open($"if ({string.Concat(vectorNames.Prepend("x").Select(p => $"aligned16({p}) && "))}aligned16(y))");
            w.Line($"{name}_reg{launch}");
            w.Else();
            w.Line($"{name}_generic{launch}");
            w.Close();
        }
        else
        {
            w.Line($"{name}_generic{launch}");
        }

        w.Close();
        w.Line();

        AddLaunch(name, [source, .. Names(weight, bias), operation.Result.Name]);
        var strategy = Invariant($"one block per row ({plan.Rows} rows of {plan.Length}): ") + (plan.Vectors > 0
            ? Invariant($"row in registers ({plan.Vectors} float4 per thread) when aligned, else a generic loop")
            : "generic loop over global memory (the row does not fit the schedule's registers)");
        AddKernel(name, KernelKind.RowNormalization, schedule, operation, strategy);
    }

    private static void WriteRowPrologue(CudaWriter w, RowPlan plan, string[] scratch, float? epsilon)
    {
        if (epsilon is { } eps)
        {
            w.Line($"constexpr float kEps = {eps};");
        }

        foreach (var array in scratch)
        {
            w.Line($"__shared__ float {array}[{plan.Warps}];");
        }
    }

    /// <summary>Loops over this thread's float4s of the row (<c>i</c> is the float4 index), guarded when the last are partial.</summary>
    private static void RegisterLoop(CudaWriter w, RowPlan plan, params string[] body)
    {
        w.Directive("#pragma unroll");
        w.Open("for (int k = 0; k < kVpt; ++k)");
        if (plan.Guard || body.Any(line => IndexUse().IsMatch(line)))
        {
            w.Line($"const int i = k * {plan.Threads} + threadIdx.x;");
        }

        if (plan.Guard)
        {
            w.Open("if (i < kD4)");
        }

        foreach (var line in body)
        {
            w.Line(line);
        }

        if (plan.Guard)
        {
            w.Close();
        }

        w.Close();
    }
}
