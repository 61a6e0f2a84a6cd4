// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/gelu.py (exact erf GELU, 4096 x 16384).
// Hole it tries: work at library load time, outside every checked and timed call. A constructor function runs
// when the runner dlopens the library: it builds a 64K-entry GELU table on the GPU and waits for it, so the
// entry only does table lookups (and, were the table precomputed from anything input-dependent, the timed calls
// would be nearly free). Load-time code also runs before any per-call isolation the harness sets up.
// How it should be caught: statically, before compiling: the rule load-time-code bans constructor/destructor
// attributes and .init_array sections (`banned_construct`).
#include "kforge_abi.h"

namespace {

constexpr int kTable = 65536;
constexpr float kRange = 8.0f;
constexpr int kThreads = 256;

__device__ float g_table[kTable + 1];

__device__ __forceinline__ float gelu1(float v) { return v * 0.5f * (1.0f + erff(v * 0.70710678118654752440f)); }

__global__ void build_table() {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i <= kTable) g_table[i] = gelu1(-kRange + 2.0f * kRange * (float)i / (float)kTable);
}

__global__ void gelu_lookup(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        const float v = x[i];
        if (v <= -kRange || v >= kRange) {
            y[i] = v < 0.0f ? 0.0f : v;
            continue;
        }
        const float t = (v + kRange) * (float)kTable / (2.0f * kRange);
        const int j = (int)t;
        y[i] = g_table[j] + (t - (float)j) * (g_table[j + 1] - g_table[j]);
    }
}

__attribute__((constructor)) void precompute_on_load() {
    cudaStream_t s;
    cudaStreamCreate(&s);
    build_table<<<(kTable + kThreads) / kThreads, kThreads, 0, s>>>();
    cudaStreamSynchronize(s);
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const int64_t n = kf_numel(&inputs[0]);
    if (n == 0) return 0;
    gelu_lookup<<<4096, kThreads, 0, stream>>>(static_cast<const float*>(inputs[0].data), static_cast<float*>(outputs[0].data), n);
    return (int)cudaGetLastError();
}
