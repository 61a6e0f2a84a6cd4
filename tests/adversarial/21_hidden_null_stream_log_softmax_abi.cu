// ADVERSARIAL, NEUTRALIZED (expected verdict: accepted, with honest timing). Target: problems/level1/log_softmax.py.
// Hole it tries: the legacy default stream, hidden from the source scan. The stream argument of every launch is
// `launch_stream(stream)`, a helper that "picks a stream" and returns a null handle; no literal 0, nullptr,
// cudaStreamLegacy or stream reassignment appears at a launch, so the static rule default-stream-work does not
// fire. Against a non-blocking harness stream the kernel would not be ordered after the L2 flush and the start
// event, so part of it would run untimed. The harness stream is now a blocking stream: legacy-stream work waits
// for the flush and the start event, and the end event waits for it, so it is timed in full and the outputs are
// right; there is nothing left to reject. (Measured on an H100 while the stream was still non-blocking: accepted at
// 198.43 µs vs 190.16 µs for the honest kernel, so the overlap did not even pay.)
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
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) out[c] = row[c] - lse;
}

// "Large launches go to the device's own queue": returns the legacy default stream (a null handle).
cudaStream_t launch_stream(cudaStream_t harness) {
    cudaStream_t chosen = harness;
    unsigned flags = 0;
    if (cudaStreamGetFlags(harness, &flags) == cudaSuccess && (flags & cudaStreamNonBlocking) != 0) chosen = cudaStream_t();
    return chosen;
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
    log_softmax_rows<<<(unsigned)rows, kThreads, 0, launch_stream(stream)>>>(static_cast<const float*>(x->data),
                                                                             static_cast<float*>(outputs[0].data), cols);
    return (int)cudaGetLastError();
}
