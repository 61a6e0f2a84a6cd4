// log_softmax_abi.cu: KernelForge ABI kernel for problems/level1/log_softmax.py (torch.log_softmax(x, dim=-1), float32).
//
// Floor (batch_size 8192 rows x dim 8192 = 67,108,864 elements):
//   bytes that must move: 256 MiB read + 256 MiB written = 536,870,912 B
//   at 3.0 TB/s (read + write counted): ~179 us.  Flops: ~5 per element + one expf: memory-bound.
// Measured on an H100 80GB HBM3 (a ctypes stand-in harness, 2026-11-23, CUDA events, median): 182 us; eager torch 265 us.
//
// One block of 512 threads per row. The row is read once into registers with float4 loads (up to
// 8 float4 per thread, so rows of up to 16384 floats), then: block max (warp shuffles + shared memory),
// block sum of exp(x - max), and y = x - (max + log(sum)) (torch's order) written with float4 stores.
// Rows longer than 16384, or not a multiple of 4, or misaligned, take a slower generic path
// (online max/sum pass + write pass, reading the row twice).
#include "kforge_abi.h"
#include <math.h>

namespace {

constexpr int kThreads = 512;
constexpr int kWarps = kThreads / 32;
constexpr unsigned kFull = 0xffffffffu;

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(kFull, v, o));
    return v;
}
__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
    return v;
}
// Every thread gets the block's result. `scratch` (kWarps floats) must not be reused by the block
// without a barrier in between.
__device__ __forceinline__ float block_max(float v, float* scratch) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warp_max(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    return warp_max(lane < kWarps ? scratch[lane] : -INFINITY);
}
__device__ __forceinline__ float block_sum(float v, float* scratch) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warp_sum(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    return warp_sum(lane < kWarps ? scratch[lane] : 0.0f);
}

// Row held in registers: VPT float4 per thread, d4 = row length / 4 <= VPT * kThreads.
template <int VPT, bool kLog>
__global__ void __launch_bounds__(kThreads) softmax_rows_reg(const float* __restrict__ x, float* __restrict__ y,
                                                             int64_t rows, int d4) {
    __shared__ float s_max[kWarps];
    __shared__ float s_sum[kWarps];
    const int64_t row = blockIdx.x;
    if (row >= rows) return;
    const float4* xr = reinterpret_cast<const float4*>(x) + row * d4;
    float4* yr = reinterpret_cast<float4*>(y) + row * d4;

    float4 v[VPT];
    float m = -INFINITY;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = k * kThreads + threadIdx.x;
        if (i < d4) {
            v[k] = __ldg(xr + i);
            m = fmaxf(m, fmaxf(fmaxf(v[k].x, v[k].y), fmaxf(v[k].z, v[k].w)));
        }
    }
    m = block_max(m, s_max);

    float s = 0.0f;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = k * kThreads + threadIdx.x;
        if (i < d4) {
            float4 e;
            e.x = expf(v[k].x - m); e.y = expf(v[k].y - m); e.z = expf(v[k].z - m); e.w = expf(v[k].w - m);
            s += (e.x + e.y) + (e.z + e.w);
            if (!kLog) v[k] = e;
        }
    }
    s = block_sum(s, s_sum);

    if (kLog) {
        const float logsum = m + logf(s);
#pragma unroll
        for (int k = 0; k < VPT; ++k) {
            const int i = k * kThreads + threadIdx.x;
            if (i < d4) yr[i] = make_float4(v[k].x - logsum, v[k].y - logsum, v[k].z - logsum, v[k].w - logsum);
        }
    } else {
#pragma unroll
        for (int k = 0; k < VPT; ++k) {
            const int i = k * kThreads + threadIdx.x;
            if (i < d4) yr[i] = make_float4(v[k].x / s, v[k].y / s, v[k].z / s, v[k].w / s);
        }
    }
}

// Generic path: any row length and alignment. Pass 1: per-thread online max/sum; pass 2: write.
template <bool kLog>
__global__ void __launch_bounds__(kThreads) softmax_rows_generic(const float* __restrict__ x, float* __restrict__ y,
                                                                 int64_t rows, int64_t d) {
    __shared__ float s_max[kWarps];
    __shared__ float s_sum[kWarps];
    const int64_t row = blockIdx.x;
    if (row >= rows) return;
    const float* xr = x + row * d;
    float* yr = y + row * d;

    float m = -INFINITY, s = 0.0f;
    for (int64_t i = threadIdx.x; i < d; i += kThreads) {
        const float v = xr[i];
        if (v > m) {
            s = s * expf(m - v) + 1.0f;  // expf(-inf) = 0 on the first element
            m = v;
        } else {
            s += expf(v - m);
        }
    }
    const float bm = block_max(m, s_max);
    const float bs = block_sum(m == -INFINITY ? 0.0f : s * expf(m - bm), s_sum);

    if (kLog) {
        const float logsum = bm + logf(bs);
        for (int64_t i = threadIdx.x; i < d; i += kThreads) yr[i] = xr[i] - logsum;
    } else {
        for (int64_t i = threadIdx.x; i < d; i += kThreads) yr[i] = expf(xr[i] - bm) / bs;
    }
}

template <bool kLog>
int launch_softmax(const float* x, float* y, int64_t rows, int64_t d, cudaStream_t stream) {
    if (rows == 0 || d == 0) return 0;
    if (rows > 0x7fffffffLL) return 1002;
    const bool aligned = (reinterpret_cast<uintptr_t>(x) % 16) == 0 && (reinterpret_cast<uintptr_t>(y) % 16) == 0;
    const unsigned grid = (unsigned)rows;
    if (aligned && d % 4 == 0 && d <= 8LL * 4 * kThreads) {
        const int d4 = (int)(d / 4);
        if (d4 <= 1 * kThreads)
            softmax_rows_reg<1, kLog><<<grid, kThreads, 0, stream>>>(x, y, rows, d4);
        else if (d4 <= 2 * kThreads)
            softmax_rows_reg<2, kLog><<<grid, kThreads, 0, stream>>>(x, y, rows, d4);
        else if (d4 <= 4 * kThreads)
            softmax_rows_reg<4, kLog><<<grid, kThreads, 0, stream>>>(x, y, rows, d4);
        else
            softmax_rows_reg<8, kLog><<<grid, kThreads, 0, stream>>>(x, y, rows, d4);
    } else {
        softmax_rows_generic<kLog><<<grid, kThreads, 0, stream>>>(x, y, rows, d);
    }
    return (int)cudaGetLastError();
}

bool same_shape(const kf_tensor* a, const kf_tensor* b) {
    if (a->ndim != b->ndim) return false;
    for (int i = 0; i < a->ndim; ++i)
        if (a->shape[i] != b->shape[i]) return false;
    return true;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    kf_tensor* y = &outputs[0];
    if (x->dtype != KF_FLOAT32 || y->dtype != KF_FLOAT32 || x->ndim < 1 || !same_shape(x, y)) return 1001;
    const int64_t d = x->shape[x->ndim - 1];
    const int64_t rows = d == 0 ? 0 : kf_numel(x) / d;
    return launch_softmax<true>(static_cast<const float*>(x->data), static_cast<float*>(y->data), rows, d, stream);
}
