// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/mean_reduction.py (mean over the last dim, 4096).
// Hole it tries: a no-op. The entry only has a "fast path" for rows of at most 1024 elements and silently returns
// 0 for anything longer, so for this problem it launches nothing and writes nothing. It passes an evaluator that
// reuses an output buffer an earlier run filled (the reference's, an honest candidate's) or never checks that
// every output element was written.
// How it should be caught: the harness poisons every output with NaN bits (0x7FC0DEAD) before each checked call;
// the poison survives, so the verdict is `unwritten_output`. (A launch count of zero would also catch it.)
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;
constexpr unsigned kFull = 0xffffffffu;

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
    return v;
}

// One block per row; each thread holds at most 4 elements (rows of up to 1024).
__global__ void __launch_bounds__(kThreads) mean_short_rows(const float* __restrict__ x, float* __restrict__ y, int cols) {
    __shared__ float partial[kThreads / 32];
    const float* row = x + (int64_t)blockIdx.x * cols;
    float s = 0.0f;
    for (int c = threadIdx.x; c < cols; c += kThreads) s += row[c];
    s = warp_sum(s);
    if ((threadIdx.x & 31) == 0) partial[threadIdx.x >> 5] = s;
    __syncthreads();
    if (threadIdx.x < 32) {
        float t = threadIdx.x < kThreads / 32 ? partial[threadIdx.x] : 0.0f;
        t = warp_sum(t);
        if (threadIdx.x == 0) y[blockIdx.x] = t / (float)cols;
    }
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    if (x->dtype != KF_FLOAT32 || x->ndim != 2) return 1001;
    const int64_t rows = x->shape[0];
    const int64_t cols = x->shape[1];
    if (rows == 0) return 0;
    if (cols <= 4 * kThreads) {
        mean_short_rows<<<(unsigned)rows, kThreads, 0, stream>>>(static_cast<const float*>(x->data),
                                                                 static_cast<float*>(outputs[0].data), (int)cols);
    }
    // Longer rows: "handled by the generic path" that was never written; the call still reports success.
    return (int)cudaGetLastError();
}
