using KernelForge.Translation.IR;

namespace KernelForge.Translation.Cuda;

/// <summary>
/// Row normalizations (softmax, log-softmax, layer norm, RMS norm), one block per row, after the hand-written kernels in
/// <c>examples/</c>: the row is read once into registers as <c>float4</c>s when it fits and is aligned, reduced with warp
/// shuffles and shared memory, and written once; otherwise a generic kernel loops over global memory.
/// </summary>
public sealed partial class CudaEmitter
{
    private void EmitSoftmax(RowSoftmaxOp operation)
    {
        var kind = operation.IsLog ? "log_softmax" : "softmax";
        _helpers |= DeviceHelpers.BlockMax | DeviceHelpers.BlockSum;
        EmitRowKernel(operation, kind, ["s_max", "s_sum"], operation.Source, null, null, (w, plan) =>
        {
            w.Line("float m = -INFINITY;");
            RegisterLoop(w, plan, "v[k] = __ldg(xr + i);", "m = fmaxf(m, fmaxf(fmaxf(v[k].x, v[k].y), fmaxf(v[k].z, v[k].w)));");
            w.Line($"m = block_max<{plan.Warps}>(m, s_max);");
            w.Line("float s = 0.0f;");
            if (operation.IsLog)
            {
                RegisterLoop(w, plan, "s += (expf(v[k].x - m) + expf(v[k].y - m)) + (expf(v[k].z - m) + expf(v[k].w - m));");
            }
            else
            {
                RegisterLoop(w, plan, "v[k].x = expf(v[k].x - m); v[k].y = expf(v[k].y - m); v[k].z = expf(v[k].z - m); v[k].w = expf(v[k].w - m);",
                    "s += (v[k].x + v[k].y) + (v[k].z + v[k].w);");
            }

            w.Line($"s = block_sum<{plan.Warps}>(s, s_sum);");
            // torch's epilogues: exp(x - max) / sum, and x - max - log(sum).
            if (operation.IsLog)
            {
                w.Line("const float logsum = logf(s);");
                RegisterLoop(w, plan, "yr[i] = make_float4(v[k].x - m - logsum, v[k].y - m - logsum, v[k].z - m - logsum, v[k].w - m - logsum);");
            }
            else
            {
                RegisterLoop(w, plan, "yr[i] = make_float4(v[k].x / s, v[k].y / s, v[k].z / s, v[k].w / s);");
            }
        }, (w, plan) =>
        {
            // One pass of per-thread online max and sum, then one writing pass: the row is read twice.
            w.Line("float m = -INFINITY, s = 0.0f;");
            w.Open($"for (int64_t i = threadIdx.x; i < kD; i += {plan.Threads})");
            w.Line("const float v = xr[i];");
            w.Line("if (v > m) { s = s * expf(m - v) + 1.0f; m = v; } else { s += expf(v - m); }");
            w.Close();
            w.Line($"const float bm = block_max<{plan.Warps}>(m, s_max);");
            w.Line($"const float bs = block_sum<{plan.Warps}>(m == -INFINITY ? 0.0f : s * expf(m - bm), s_sum);");
            if (operation.IsLog)
            {
                w.Line("const float logsum = logf(bs);");
            }

            w.Line($"for (int64_t i = threadIdx.x; i < kD; i += {plan.Threads}) yr[i] = {(operation.IsLog ? "xr[i] - bm - logsum" : "expf(xr[i] - bm) / bs")};");
        });
    }

    private void EmitLayerNorm(RowLayerNormOp operation)
    {
        _helpers |= DeviceHelpers.BlockSum;
        EmitRowKernel(operation, "layer_norm", ["s_mean", "s_var"], operation.Source, operation.Weight, operation.Bias, (w, plan) =>
        {
            w.Line("float s = 0.0f;");
            RegisterLoop(w, plan, "v[k] = __ldg(xr + i);", "s += (v[k].x + v[k].y) + (v[k].z + v[k].w);");
            w.Line($"const float mean = block_sum<{plan.Warps}>(s, s_mean) / {(float)plan.Length};");
            w.Line("float q = 0.0f;");
            RegisterLoop(w, plan, "v[k].x -= mean; v[k].y -= mean; v[k].z -= mean; v[k].w -= mean;",
                "q += (v[k].x * v[k].x + v[k].y * v[k].y) + (v[k].z * v[k].z + v[k].w * v[k].w);");
            // Biased variance from centred values (two passes over registers); torch's layer norm uses rsqrt too.
            w.Line($"const float rstd = rsqrtf(block_sum<{plan.Warps}>(q, s_var) / {(float)plan.Length} + kEps);");
            RegisterLoop(w, plan, [.. VectorLoads(operation.Weight, operation.Bias), Store4(c => Affine($"v[k].{c}", "rstd", operation, $"g.{c}", $"c.{c}"))]);
        }, (w, plan) =>
        {
            w.Line("float s = 0.0f;");
            w.Line($"for (int64_t i = threadIdx.x; i < kD; i += {plan.Threads}) s += xr[i];");
            w.Line($"const float mean = block_sum<{plan.Warps}>(s, s_mean) / {(float)plan.Length};");
            w.Line("float q = 0.0f;");
            w.Open($"for (int64_t i = threadIdx.x; i < kD; i += {plan.Threads})");
            w.Line("const float t = xr[i] - mean;");
            w.Line("q += t * t;");
            w.Close();
            w.Line($"const float rstd = rsqrtf(block_sum<{plan.Warps}>(q, s_var) / {(float)plan.Length} + kEps);");
            w.Line($"for (int64_t i = threadIdx.x; i < kD; i += {plan.Threads}) yr[i] = {Affine("(xr[i] - mean)", "rstd", operation, "w[i]", "b[i]")};");
        });
    }

    private void EmitRmsNorm(RowRmsNormOp operation)
    {
        _helpers |= DeviceHelpers.BlockSum;
        // The same operations, in the same order, as the written-out torch code: x / sqrt(ms + eps) * w or x * rsqrt(ms + eps) * w.
        var (root, combine) = operation.Form == RmsNormForm.DivideBySqrt ? ("sqrtf", "/") : ("rsqrtf", "*");
        string Scaled(string x, string weight) => operation.Weight is null ? $"{x} {combine} r" : $"{x} {combine} r * {weight}";
        EmitRowKernel(operation, "rms_norm", ["s_sq"], operation.Source, operation.Weight, null, (w, plan) =>
        {
            w.Line("float q = 0.0f;");
            RegisterLoop(w, plan, "v[k] = __ldg(xr + i);", "q += (v[k].x * v[k].x + v[k].y * v[k].y) + (v[k].z * v[k].z + v[k].w * v[k].w);");
            w.Line($"const float r = {root}(block_sum<{plan.Warps}>(q, s_sq) / {(float)plan.Length} + kEps);");
            RegisterLoop(w, plan, [.. VectorLoads(operation.Weight, null), Store4(c => Scaled($"v[k].{c}", $"g.{c}"))]);
        }, (w, plan) =>
        {
            w.Line("float q = 0.0f;");
            w.Line($"for (int64_t i = threadIdx.x; i < kD; i += {plan.Threads}) q += xr[i] * xr[i];");
            w.Line($"const float r = {root}(block_sum<{plan.Warps}>(q, s_sq) / {(float)plan.Length} + kEps);");
            w.Line($"for (int64_t i = threadIdx.x; i < kD; i += {plan.Threads}) yr[i] = {Scaled("xr[i]", "w[i]")};");
        });
    }

    private static string Affine(string centred, string rstd, RowLayerNormOp operation, string weight, string bias) =>
        $"{centred} * {rstd}{(operation.Weight is null ? "" : " * " + weight)}{(operation.Bias is null ? "" : " + " + bias)}";

    private static IEnumerable<string> VectorLoads(string? weight, string? bias) =>
        [.. weight is null ? [] : new[] { "const float4 g = __ldg(w4 + i);" }, .. bias is null ? [] : new[] { "const float4 c = __ldg(b4 + i);" }];

    private static string Store4(Func<char, string> lane) =>
        $"yr[i] = make_float4({lane('x')}, {lane('y')}, {lane('z')}, {lane('w')});";
}
