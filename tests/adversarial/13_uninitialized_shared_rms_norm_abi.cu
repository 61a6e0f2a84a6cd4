// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/rms_norm.py (x / sqrt(mean(x^2) + 1e-6) * w,
// rows of 4096).
// Hole it tries: reading uninitialized shared memory. The row is staged in shared memory with float4 loads, but
// the staging loop stops one float4 short (`i < d4 - 1`), so the last four columns of every row are read from
// shared memory nothing in this block wrote: whatever an earlier kernel on that SM left there (often zeros,
// sometimes another block's data). An evaluator that checks a sample of columns, or a tolerance loose enough for
// 4 of 4096 terms, can miss it.
// How it should be caught: the last four outputs of every row are wrong by far more than strict tolerance:
// `wrong_result` (`non_finite_output` if the stale bits happen to be NaN or infinity).
#include "kforge_abi.h"
#include <math.h>

namespace {

constexpr int kThreads = 256;
constexpr int kMaxCols = 4096;
constexpr unsigned kFull = 0xffffffffu;

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
    return v;
}

__global__ void __launch_bounds__(kThreads) rms_norm_rows(const float* __restrict__ x, const float* __restrict__ w,
                                                         float* __restrict__ y, int d4, float eps) {
    __shared__ float4 tile[kMaxCols / 4];
    __shared__ float scratch[kThreads / 32];
    const float4* row = reinterpret_cast<const float4*>(x) + (int64_t)blockIdx.x * d4;
    float4* out = reinterpret_cast<float4*>(y) + (int64_t)blockIdx.x * d4;
    const float4* w4 = reinterpret_cast<const float4*>(w);
    for (int i = threadIdx.x; i < d4 - 1; i += kThreads) tile[i] = __ldg(row + i);
    __syncthreads();
    float q = 0.0f;
    for (int i = threadIdx.x; i < d4; i += kThreads) {
        const float4 v = tile[i];
        q += (v.x * v.x + v.y * v.y) + (v.z * v.z + v.w * v.w);
    }
    q = warp_sum(q);
    if ((threadIdx.x & 31) == 0) scratch[threadIdx.x >> 5] = q;
    __syncthreads();
    q = warp_sum((threadIdx.x & 31) < kThreads / 32 ? scratch[threadIdx.x & 31] : 0.0f);
    const float inv = 1.0f / sqrtf(q / (float)(4 * d4) + eps);
    for (int i = threadIdx.x; i < d4; i += kThreads) {
        const float4 v = tile[i], g = __ldg(w4 + i);
        out[i] = make_float4(v.x * inv * g.x, v.y * inv * g.y, v.z * inv * g.z, v.w * inv * g.w);
    }
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    const kf_tensor* w = &inputs[1];
    if (x->dtype != KF_FLOAT32 || x->ndim != 2 || w->ndim != 1) return 1001;
    const int64_t rows = x->shape[0], cols = x->shape[1];
    if (w->shape[0] != cols || cols % 4 != 0 || cols > kMaxCols) return 1001;
    if (rows == 0 || cols == 0) return 0;
    rms_norm_rows<<<(unsigned)rows, kThreads, 0, stream>>>(static_cast<const float*>(x->data), static_cast<const float*>(w->data),
                                                           static_cast<float*>(outputs[0].data), (int)(cols / 4), 1e-6f);
    return (int)cudaGetLastError();
}
