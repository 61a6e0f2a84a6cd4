// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py.
// Hole it tries: a partial write. It computes relu correctly but only for the first half of the elements,
// leaving the second half as whatever the output buffer held. It passes only if stale correct values are
// there (an output buffer reused across calls without poisoning) or the check samples a prefix of the output.
// Expected verdict: `unwritten_output` (the NaN poison survives in the second half).
#include "kforge_abi.h"

namespace {
__global__ void relu_first_half(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}
}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const int64_t half = kf_numel(&inputs[0]) / 2;
    if (half == 0) return 0;
    relu_first_half<<<(unsigned)((half + 255) / 256), 256, 0, stream>>>(
        static_cast<const float*>(inputs[0].data), static_cast<float*>(outputs[0].data), half);
    return (int)cudaGetLastError();
}
