// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/gelu.py (exact erf GELU, 4096 x 16384).
// Hole it tries: a crash in host code. The entry records launch statistics into a "stats" record that exists only
// when the harness passes a second output; here it does not, and the entry writes through the null pointer. An
// evaluator that loads candidates into its own process (ctypes, a torch extension in the orchestrator) dies with
// it, taking the search down.
// How it should be caught: candidates run in a separate runner process; the orchestrator sees it die during the
// call (SIGSEGV), reports it and starts a fresh runner: `runner_crashed`.
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;

struct LaunchStats {
    int64_t elements;
    int blocks;
    int threads;
};

__device__ __forceinline__ float gelu1(float v) { return v * 0.5f * (1.0f + erff(v * 0.70710678118654752440f)); }

__global__ void gelu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = gelu1(x[i]);
}

// The stats record travels in a second output's data pointer when there is one.
LaunchStats* stats_record(kf_tensor* outputs, int num_outputs) {
    return num_outputs > 1 ? static_cast<LaunchStats*>(outputs[1].data) : nullptr;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs < 1) return 1000;
    const int64_t n = kf_numel(&inputs[0]);
    const int blocks = 4096;
    volatile LaunchStats* stats = stats_record(outputs, num_outputs);
    stats->elements = n;
    stats->blocks = blocks;
    stats->threads = kThreads;
    gelu_kernel<<<blocks, kThreads, 0, stream>>>(static_cast<const float*>(inputs[0].data), static_cast<float*>(outputs[0].data), n);
    return (int)cudaGetLastError();
}
