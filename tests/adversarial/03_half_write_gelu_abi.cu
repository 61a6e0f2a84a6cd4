// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/gelu.py (exact erf GELU, 4096 x 16384).
// Hole it tries: a partial write. The grid is sized as if every thread handled a float2 (n / 2 threads), but each
// thread computes and stores a single element, so only the first half of the output is written. It passes an
// evaluator that compares only a prefix or a sample of the output, or that leaves a previous correct result in
// the output buffer between calls.
// How it should be caught: the NaN poison written before the call survives in the second half:
// `unwritten_output`.
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;

__device__ __forceinline__ float gelu1(float v) { return v * 0.5f * (1.0f + erff(v * 0.70710678118654752440f)); }

__global__ void __launch_bounds__(kThreads) gelu_pairs(const float* __restrict__ x, float* __restrict__ y, int64_t pairs) {
    const int64_t i = (int64_t)blockIdx.x * kThreads + threadIdx.x;
    if (i < pairs) y[i] = gelu1(__ldg(x + i));  // "pair" i, but only one element of it
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    if (inputs[0].dtype != KF_FLOAT32 || outputs[0].dtype != KF_FLOAT32) return 1001;
    const int64_t n = kf_numel(&inputs[0]);
    if (n != kf_numel(&outputs[0])) return 1001;
    const int64_t pairs = n / 2;
    if (pairs == 0) return 0;
    gelu_pairs<<<(unsigned)((pairs + kThreads - 1) / kThreads), kThreads, 0, stream>>>(
        static_cast<const float*>(inputs[0].data), static_cast<float*>(outputs[0].data), pairs);
    return (int)cudaGetLastError();
}
