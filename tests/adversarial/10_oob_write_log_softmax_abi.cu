// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/log_softmax.py (log_softmax over rows of 8192).
// Hole it tries: writing past the end of the output. The store loop runs `c <= cols` (an off-by-one), so each row
// also writes one element of the next row and the last row writes one float past the end of the buffer. An
// evaluator without guard regions sees correct values (the next row's block usually overwrites the stray store)
// while memory next to the output, another tensor or the harness's own data, is silently corrupted.
// How it should be caught: the harness surrounds every buffer with 4 KiB canaries and checks them after each call,
// before looking at the outputs: `out_of_bounds_write`.
#include "kforge_abi.h"
#include <math.h>

namespace {

constexpr int kThreads = 512;
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

__global__ void __launch_bounds__(kThreads) log_softmax_rows(const float* __restrict__ x, float* __restrict__ y, int64_t cols) {
    __shared__ float scratch[32];
    const float* row = x + (int64_t)blockIdx.x * cols;
    float* out = y + (int64_t)blockIdx.x * cols;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    float m = -INFINITY;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) m = fmaxf(m, row[c]);
    m = warp_max(m);
    if (lane == 0) scratch[warp] = m;
    __syncthreads();
    m = warp_max(lane < kThreads / 32 ? scratch[lane] : -INFINITY);
    __syncthreads();
    float s = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) s += expf(row[c] - m);
    s = warp_sum(s);
    if (lane == 0) scratch[warp] = s;
    __syncthreads();
    const float lse = m + logf(warp_sum(lane < kThreads / 32 ? scratch[lane] : 0.0f));
    for (int64_t c = threadIdx.x; c <= cols; c += kThreads) out[c] = row[c] - lse;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    if (x->dtype != KF_FLOAT32 || x->ndim != 2) return 1001;
    const int64_t rows = x->shape[0], cols = x->shape[1];
    if (rows == 0 || cols == 0) return 0;
    log_softmax_rows<<<(unsigned)rows, kThreads, 0, stream>>>(static_cast<const float*>(x->data),
                                                              static_cast<float*>(outputs[0].data), cols);
    return (int)cudaGetLastError();
}
