// layer_norm_abi.cu: KernelForge ABI kernel for problems/level1/layer_norm.py
// (nn.LayerNorm(hidden, eps=1e-5) over the last dimension, learnable weight and bias, float32).
//
// Inputs: [0] x (batch_size, hidden), then the parameters in named_parameters() order:
//         [1] norm.weight (hidden,), [2] norm.bias (hidden,). Output: y, x's shape.
// Floor (8192 rows x hidden 8192 = 67,108,864 elements):
//   bytes that must move: 256 MiB read + 256 MiB written + 2 x 32 KiB parameters = 536,936,448 B
//   at 3.0 TB/s (read + write counted): ~179 us.  Flops: ~8 per element: memory-bound.
// Measured on an H100 80GB HBM3 (a ctypes stand-in harness, 2026-11-23, CUDA events, median): 182 us; eager torch 291 us.
//
// One block of 512 threads per row; the row lives in registers (float4 loads, up to 8 per thread, rows of
// up to 16384 floats). Two-pass statistics on the registers: mean = sum / d, then var = sum((x - mean)^2) / d
// (biased, as LayerNorm), each a block reduction (per-thread partials, warp shuffles, shared memory).
// rstd = 1 / sqrtf(var + eps) with IEEE sqrt and division; y = (x - mean) * rstd * w + b.
// Other row lengths / misaligned pointers take a generic three-pass path over global memory.
#include "kforge_abi.h"
#include <math.h>

namespace {

constexpr int kThreads = 512;
constexpr int kWarps = kThreads / 32;
constexpr unsigned kFull = 0xffffffffu;
constexpr float kEps = 1e-5f;  // nn.LayerNorm's eps in the problem

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
    return v;
}
// Every thread gets the block's sum; each call site needs its own `scratch` (kWarps floats).
__device__ __forceinline__ float block_sum(float v, float* scratch) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warp_sum(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    return warp_sum(lane < kWarps ? scratch[lane] : 0.0f);
}

template <int VPT>
__global__ void __launch_bounds__(kThreads) layer_norm_reg(const float* __restrict__ x, const float* __restrict__ w,
                                                           const float* __restrict__ b, float* __restrict__ y,
                                                           int d4, float eps) {
    __shared__ float s_mean[kWarps];
    __shared__ float s_var[kWarps];
    const int64_t row = blockIdx.x;
    const float4* xr = reinterpret_cast<const float4*>(x) + row * d4;
    float4* yr = reinterpret_cast<float4*>(y) + row * d4;
    const float4* w4 = reinterpret_cast<const float4*>(w);
    const float4* b4 = reinterpret_cast<const float4*>(b);
    const float d = 4.0f * (float)d4;

    float4 v[VPT];
    float s = 0.0f;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = k * kThreads + threadIdx.x;
        if (i < d4) {
            v[k] = __ldg(xr + i);
            s += (v[k].x + v[k].y) + (v[k].z + v[k].w);
        }
    }
    const float mean = block_sum(s, s_mean) / d;

    float q = 0.0f;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = k * kThreads + threadIdx.x;
        if (i < d4) {
            v[k].x -= mean; v[k].y -= mean; v[k].z -= mean; v[k].w -= mean;
            q += (v[k].x * v[k].x + v[k].y * v[k].y) + (v[k].z * v[k].z + v[k].w * v[k].w);
        }
    }
    const float var = block_sum(q, s_var) / d;
    const float rstd = 1.0f / sqrtf(var + eps);

#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = k * kThreads + threadIdx.x;
        if (i < d4) {
            const float4 g = __ldg(w4 + i), bb = __ldg(b4 + i);
            yr[i] = make_float4(v[k].x * rstd * g.x + bb.x, v[k].y * rstd * g.y + bb.y, v[k].z * rstd * g.z + bb.z,
                                v[k].w * rstd * g.w + bb.w);
        }
    }
}

__global__ void __launch_bounds__(kThreads) layer_norm_generic(const float* __restrict__ x, const float* __restrict__ w,
                                                               const float* __restrict__ b, float* __restrict__ y,
                                                               int64_t d, float eps) {
    __shared__ float s_mean[kWarps];
    __shared__ float s_var[kWarps];
    const int64_t row = blockIdx.x;
    const float* xr = x + row * d;
    float* yr = y + row * d;
    float s = 0.0f;
    for (int64_t i = threadIdx.x; i < d; i += kThreads) s += xr[i];
    const float mean = block_sum(s, s_mean) / (float)d;
    float q = 0.0f;
    for (int64_t i = threadIdx.x; i < d; i += kThreads) {
        const float t = xr[i] - mean;
        q += t * t;
    }
    const float var = block_sum(q, s_var) / (float)d;
    const float rstd = 1.0f / sqrtf(var + eps);
    for (int64_t i = threadIdx.x; i < d; i += kThreads) yr[i] = (xr[i] - mean) * rstd * w[i] + b[i];
}

bool same_shape(const kf_tensor* a, const kf_tensor* b) {
    if (a->ndim != b->ndim) return false;
    for (int i = 0; i < a->ndim; ++i)
        if (a->shape[i] != b->shape[i]) return false;
    return true;
}

bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) % 16) == 0; }

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 3 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    const kf_tensor* w = &inputs[1];
    const kf_tensor* bias = &inputs[2];
    kf_tensor* y = &outputs[0];
    if (x->dtype != KF_FLOAT32 || w->dtype != KF_FLOAT32 || bias->dtype != KF_FLOAT32 || y->dtype != KF_FLOAT32)
        return 1001;
    if (x->ndim < 1 || !same_shape(x, y)) return 1001;
    const int64_t d = x->shape[x->ndim - 1];
    if (w->ndim != 1 || w->shape[0] != d || bias->ndim != 1 || bias->shape[0] != d) return 1001;
    if (d == 0) return 0;
    const int64_t rows = kf_numel(x) / d;
    if (rows == 0) return 0;
    if (rows > 0x7fffffffLL) return 1002;

    const float* xp = static_cast<const float*>(x->data);
    const float* wp = static_cast<const float*>(w->data);
    const float* bp = static_cast<const float*>(bias->data);
    float* yp = static_cast<float*>(y->data);
    const unsigned grid = (unsigned)rows;
    const bool vec = aligned16(xp) && aligned16(wp) && aligned16(bp) && aligned16(yp) && d % 4 == 0 &&
                     d <= 8LL * 4 * kThreads;
    if (vec) {
        const int d4 = (int)(d / 4);
        if (d4 <= 1 * kThreads)
            layer_norm_reg<1><<<grid, kThreads, 0, stream>>>(xp, wp, bp, yp, d4, kEps);
        else if (d4 <= 2 * kThreads)
            layer_norm_reg<2><<<grid, kThreads, 0, stream>>>(xp, wp, bp, yp, d4, kEps);
        else if (d4 <= 4 * kThreads)
            layer_norm_reg<4><<<grid, kThreads, 0, stream>>>(xp, wp, bp, yp, d4, kEps);
        else
            layer_norm_reg<8><<<grid, kThreads, 0, stream>>>(xp, wp, bp, yp, d4, kEps);
    } else {
        layer_norm_generic<<<grid, kThreads, 0, stream>>>(xp, wp, bp, yp, d, kEps);
    }
    return (int)cudaGetLastError();
}
