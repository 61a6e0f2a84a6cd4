namespace KernelForge.Translation.Cuda;

/// <summary>The helper functions written once at the top of a file: shape checks, NaN-propagating max/min, remainder, warp and block reductions.</summary>
public sealed partial class CudaEmitter
{
    private static void WriteHelpers(CudaWriter file, DeviceHelpers helpers)
    {
        if (helpers.HasFlag(DeviceHelpers.HasShape))
        {
            file.Line("// dtype, extents and contiguous strides, as the kernels below assume them.");
            file.Open("bool has_shape(const kf_tensor* t, int32_t dtype, int ndim, const int64_t* shape)");
            file.Line("if (t->dtype != dtype || t->ndim != ndim) return false;");
            file.Line("int64_t stride = 1;");
            file.Open("for (int i = ndim - 1; i >= 0; --i)");
            file.Line("if (t->shape[i] != shape[i] || (shape[i] != 1 && t->strides[i] != stride)) return false;");
            file.Line("stride *= shape[i];");
            file.Close();
            file.Line("return true;");
            file.Close();
            file.Line();
        }

        if (helpers.HasFlag(DeviceHelpers.Aligned16))
        {
            file.Line("bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) % 16) == 0; }");
            file.Line();
        }

        if (helpers.HasFlag(DeviceHelpers.Maximum))
        {
            file.Line("// torch.maximum: NaN if either operand is NaN.");
            file.Line("__device__ __forceinline__ float kf_maximum(float a, float b) { return a != a ? a : (b != b ? b : fmaxf(a, b)); }");
            file.Line();
        }

        if (helpers.HasFlag(DeviceHelpers.Minimum))
        {
            file.Line("// torch.minimum: NaN if either operand is NaN.");
            file.Line("__device__ __forceinline__ float kf_minimum(float a, float b) { return a != a ? a : (b != b ? b : fminf(a, b)); }");
            file.Line();
        }

        if (helpers.HasFlag(DeviceHelpers.Remainder))
        {
            // ATen's remainder_kernel_cuda for floats (aten/src/ATen/native/cuda/BinaryRemainderKernel.cu, torch 1.x and 2.x
            // alike): fmod, then the divisor added when the remainder is not zero and its sign is not the divisor's
            // (c10::signs_differ compares x < 0, so -0.0 counts as positive). Not a - b * floor(a / b), which rounds differently.
            file.Line("// torch.remainder: Python's modulo, the result has the divisor's sign.");
            file.Open("__device__ __forceinline__ float kf_remainder(float a, float b)");
            file.Line("const float r = fmodf(a, b);");
            file.Line("return (r != 0.0f && ((r < 0.0f) != (b < 0.0f))) ? r + b : r;");
            file.Close();
            file.Line();
        }

        if (helpers.HasFlag(DeviceHelpers.MaxNan))
        {
            file.Line("// Max that propagates NaN, as torch's max reductions do (fmaxf would drop it).");
            file.Line("__device__ __forceinline__ float kf_max_nan(float a, float b) { return (a != a || a > b) ? a : b; }");
            file.Line();
        }

        if (helpers.HasFlag(DeviceHelpers.MinNan))
        {
            file.Line("// Min that propagates NaN, as torch's min reductions do (fminf would drop it).");
            file.Line("__device__ __forceinline__ float kf_min_nan(float a, float b) { return (a != a || a < b) ? a : b; }");
            file.Line();
        }

        foreach (var (flag, name, better) in new[] { (DeviceHelpers.ArgMax, "argmax", ">"), (DeviceHelpers.ArgMin, "argmin", "<") })
        {
            if (helpers.HasFlag(flag))
            {
                file.Line($"// torch.{name}: NaN wins (the first NaN), then the {(better == ">" ? "larger" : "smaller")} value, then the lower index; a strict total order, so merging is order-free.");
                file.Open($"__device__ __forceinline__ void kf_{name}_step(float& v, int& i, float ov, int oi)");
                file.Line($"const bool take = (ov != ov) ? (v == v || oi < i) : (v == v && (ov {better} v || (ov == v && oi < i)));");
                file.Line("if (take) { v = ov; i = oi; }");
                file.Close();
                file.Line();
            }
        }

        if (helpers.HasFlag(DeviceHelpers.WarpSum))
        {
            WriteWarpReduction(file, "warp_sum", "v += __shfl_xor_sync(0xffffffffu, v, o)");
        }

        if (helpers.HasFlag(DeviceHelpers.WarpMax))
        {
            WriteWarpReduction(file, "warp_max", "v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o))");
        }

        if (helpers.HasFlag(DeviceHelpers.BlockMaxNan))
        {
            WriteWarpReduction(file, "warp_max_nan", "v = kf_max_nan(v, __shfl_xor_sync(0xffffffffu, v, o))");
        }

        if ((helpers & (DeviceHelpers.BlockSum & ~DeviceHelpers.WarpSum)) != 0)
        {
            WriteBlockReduction(file, "block_sum", "warp_sum", "0.0f");
        }

        if ((helpers & (DeviceHelpers.BlockMax & ~DeviceHelpers.WarpMax)) != 0)
        {
            WriteBlockReduction(file, "block_max", "warp_max", "-INFINITY");
        }

        if ((helpers & (DeviceHelpers.BlockMaxNan & ~DeviceHelpers.MaxNan)) != 0)
        {
            WriteBlockReduction(file, "block_max_nan", "warp_max_nan", "-INFINITY");
        }

        if ((helpers & (DeviceHelpers.BlockMinNan & ~DeviceHelpers.MinNan)) != 0)
        {
            WriteWarpReduction(file, "warp_min_nan", "v = kf_min_nan(v, __shfl_xor_sync(0xffffffffu, v, o))");
            WriteBlockReduction(file, "block_min_nan", "warp_min_nan", "INFINITY");
        }

        if ((helpers & (DeviceHelpers.BlockProd & ~DeviceHelpers.WarpProd)) != 0)
        {
            WriteWarpReduction(file, "warp_prod", "v *= __shfl_xor_sync(0xffffffffu, v, o)");
            WriteBlockReduction(file, "block_prod", "warp_prod", "1.0f");
        }

        foreach (var (flag, name, identity) in new[] { (DeviceHelpers.BlockArgMax, "argmax", "-INFINITY"), (DeviceHelpers.BlockArgMin, "argmin", "INFINITY") })
        {
            if ((helpers & (flag & ~(flag == DeviceHelpers.BlockArgMax ? DeviceHelpers.ArgMax : DeviceHelpers.ArgMin))) != 0)
            {
                file.Open($"__device__ __forceinline__ void warp_{name}(float& v, int& i)");
                file.Directive("#pragma unroll");
                file.Line($"for (int o = 16; o > 0; o >>= 1) kf_{name}_step(v, i, __shfl_xor_sync(0xffffffffu, v, o), __shfl_xor_sync(0xffffffffu, i, o));");
                file.Close();
                file.Line();
                file.Line("// Every thread gets the block's (value, index); each call site needs its own scratch (kWarps of each).");
                file.Line("template <int kWarps>");
                file.Open($"__device__ __forceinline__ void block_{name}(float& v, int& i, float* scratch_v, int* scratch_i)");
                file.Line("const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;");
                file.Line($"warp_{name}(v, i);");
                file.Line("if (lane == 0) { scratch_v[warp] = v; scratch_i[warp] = i; }");
                file.Line("__syncthreads();");
                file.Line($"v = lane < kWarps ? scratch_v[lane] : {identity};");
                file.Line("i = lane < kWarps ? scratch_i[lane] : 0x7fffffff;");
                file.Line($"warp_{name}(v, i);");
                file.Close();
                file.Line();
            }
        }
    }

    /// <summary>Marks the helper functions that <paramref name="statements"/> (an <see cref="ExpressionWriter"/>'s output) call, so the file defines them.</summary>
    private void UseExpressionHelpers(IReadOnlyList<string> statements)
    {
        foreach (var (call, helper) in new[] { ("kf_maximum(", DeviceHelpers.Maximum), ("kf_minimum(", DeviceHelpers.Minimum), ("kf_remainder(", DeviceHelpers.Remainder) })
        {
            _helpers |= statements.Any(s => s.Contains(call, StringComparison.Ordinal)) ? helper : 0;
        }
    }

    private static void WriteWarpReduction(CudaWriter file, string name, string step)
    {
        file.Open($"__device__ __forceinline__ float {name}(float v)");
        file.Directive("#pragma unroll");
        file.Line($"for (int o = 16; o > 0; o >>= 1) {step};");
        file.Line("return v;");
        file.Close();
        file.Line();
    }

    private static void WriteBlockReduction(CudaWriter file, string name, string warp, string identity)
    {
        file.Line("// Every thread gets the block's result; each call site needs its own `scratch` (kWarps floats).");
        file.Line("template <int kWarps>");
        file.Open($"__device__ __forceinline__ float {name}(float v, float* scratch)");
        file.Line("const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;");
        file.Line($"v = {warp}(v);");
        file.Line("if (lane == 0) scratch[warp] = v;");
        file.Line("__syncthreads();");
        file.Line($"return {warp}(lane < kWarps ? scratch[lane] : {identity});");
        file.Close();
        file.Line();
    }
}
