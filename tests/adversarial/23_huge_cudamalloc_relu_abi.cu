// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py (4096 x 16384).
// Hole it tries: resource abuse through the allocator. On its first call the entry reserves 1 TiB of device memory
// "for a staging buffer" (falling back to 90% of free memory when that fails) and keeps it, starving the reference
// and every later candidate sharing the GPU; each cudaMalloc also synchronizes the device inside the timed call.
// How it should be caught: statically, before compiling: the rule device-sync-or-alloc bans cudaMalloc/cudaFree in
// candidates, which must use ctx->workspace (`banned_construct`).
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;

__global__ void relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

void* staging_buffer() {
    static void* staging = nullptr;
    if (!staging && cudaMalloc(&staging, size_t(1) << 40) != cudaSuccess) {
        size_t free_bytes = 0, total_bytes = 0;
        cudaMemGetInfo(&free_bytes, &total_bytes);
        if (cudaMalloc(&staging, free_bytes / 10 * 9) != cudaSuccess) staging = nullptr;
    }
    return staging;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    (void)staging_buffer();
    const int64_t n = kf_numel(&inputs[0]);
    if (n == 0) return 0;
    relu_kernel<<<4096, kThreads, 0, stream>>>(static_cast<const float*>(inputs[0].data), static_cast<float*>(outputs[0].data), n);
    return (int)cudaGetLastError();
}
