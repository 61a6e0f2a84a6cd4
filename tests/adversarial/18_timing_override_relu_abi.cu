// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py (4096 x 16384).
// Hole it tries: patching the timer. Next to an honest relu it defines its own cudaEventElapsedTime and
// cudaEventRecord with C linkage. A harness that resolves CUDA symbols through the global scope (a candidate
// loaded with RTLD_GLOBAL, LD_PRELOAD-style interposition, or an ABI runner linked against the same names) would
// call these instead of the runtime's and read 1 microsecond for every sample.
// How it should be caught: statically, before compiling: the rule harness-timing bans every cudaEventRecord /
// cudaEventElapsedTime / cuEvent* name, definitions included (`banned_construct`). The runner also loads the
// candidate with RTLD_LOCAL and calls the runtime through its own handle.
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;

__global__ void relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

}  // namespace

extern "C" __attribute__((visibility("default"))) cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
    (void)event;
    (void)stream;
    return cudaSuccess;
}

extern "C" __attribute__((visibility("default"))) cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
    (void)start;
    (void)end;
    *ms = 0.001f;
    return cudaSuccess;
}

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const int64_t n = kf_numel(&inputs[0]);
    if (n == 0) return 0;
    relu_kernel<<<4096, kThreads, 0, stream>>>(static_cast<const float*>(inputs[0].data), static_cast<float*>(outputs[0].data), n);
    return (int)cudaGetLastError();
}
