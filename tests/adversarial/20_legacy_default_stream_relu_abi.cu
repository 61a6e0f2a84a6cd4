// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py (4096 x 16384).
// Hole it tries: launching on the legacy default stream (`<<<grid, block>>>`, no stream argument) instead of the
// harness's stream. The harness's stream is non-blocking, so the kernel is not ordered after the harness's L2
// flush and start event: part of it runs before the timer starts, and an evaluator that synchronizes only its
// own stream may read the outputs before they are written.
// How it should be caught: statically, before compiling: the rule default-stream-work rejects launches and async
// copies without an explicit, non-null stream (`banned_construct`).
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;

__global__ void relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    (void)stream;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const int64_t n = kf_numel(&inputs[0]);
    if (n == 0) return 0;
    relu_kernel<<<4096, kThreads>>>(static_cast<const float*>(inputs[0].data), static_cast<float*>(outputs[0].data), n);
    return (int)cudaGetLastError();
}
