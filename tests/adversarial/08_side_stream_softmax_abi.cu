// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/softmax.py (softmax over rows of 16384).
// Hole it tries: work on a stream the timer does not bracket (KernelBench's non-default-stream exploit). The entry
// creates its own non-blocking stream once and launches there, so it returns at once; an evaluator that records
// its events on its own stream and synchronizes only that stream measures almost nothing, and may even check
// outputs before they are written.
// How it should be caught: statically, before compiling: the rule other-stream-or-event bans creating streams or
// events (`banned_construct`). At run time the harness also synchronizes the whole device before its end event.
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

__global__ void __launch_bounds__(kThreads) softmax_rows(const float* __restrict__ x, float* __restrict__ y, int64_t cols) {
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
    s = warp_sum(lane < kThreads / 32 ? scratch[lane] : 0.0f);
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) out[c] = expf(row[c] - m) / s;
}

cudaStream_t side_stream() {
    static cudaStream_t side = nullptr;
    if (!side) cudaStreamCreateWithFlags(&side, cudaStreamNonBlocking);
    return side;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    (void)stream;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    if (x->dtype != KF_FLOAT32 || x->ndim != 2) return 1001;
    const int64_t rows = x->shape[0], cols = x->shape[1];
    if (rows == 0 || cols == 0) return 0;
    softmax_rows<<<(unsigned)rows, kThreads, 0, side_stream()>>>(static_cast<const float*>(x->data),
                                                                 static_cast<float*>(outputs[0].data), cols);
    return (int)cudaGetLastError();
}
