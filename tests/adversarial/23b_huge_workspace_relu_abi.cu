// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py (4096 x 16384).
// Hole it tries: a workspace request the harness cannot meet, with the NULL result ignored. It asks
// ctx->workspace for 1 TiB of "staging" and writes an intermediate copy of x through the returned pointer. A
// workspace allocator that aborts, throws or hands out memory it does not own breaks the harness; one that returns
// NULL as documented leaves the candidate writing through NULL.
// How it should be caught: the arena's cudaMalloc fails cleanly and returns NULL (the harness survives and clears
// the allocation error), and the kernel's stores to address 0 fault: `runtime_error` (sticky illegal address; the
// runner exits and is restarted).
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;

__global__ void relu_staged(const float* __restrict__ x, float* __restrict__ staging, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        staging[i] = x[i];
        y[i] = staging[i] < 0.0f ? 0.0f : staging[i];
    }
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const int64_t n = kf_numel(&inputs[0]);
    if (n == 0) return 0;
    float* staging = static_cast<float*>(ctx->workspace(ctx, size_t(1) << 40));
    relu_staged<<<4096, kThreads, 0, stream>>>(static_cast<const float*>(inputs[0].data), staging, static_cast<float*>(outputs[0].data), n);
    return (int)cudaGetLastError();
}
