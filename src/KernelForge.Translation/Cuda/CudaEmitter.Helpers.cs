namespace KernelForge.Translation.Cuda;

/// <summary>The helper functions written once at the top of a file: shape checks, NaN-propagating max/min, warp and block reductions.</summary>
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

        if (helpers.HasFlag(DeviceHelpers.MaxNan))
        {
            file.Line("// Max that propagates NaN, as torch's max reductions do (fmaxf would drop it).");
            file.Line("__device__ __forceinline__ float kf_max_nan(float a, float b) { return (a != a || a > b) ? a : b; }");
            file.Line();
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
