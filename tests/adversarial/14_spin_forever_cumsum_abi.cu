// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/cumsum.py (inclusive scan along rows of 8192).
// Hole it tries: a kernel that never finishes. Each row is scanned by 4 blocks chained through carry flags in the
// workspace (a decoupled look-back in miniature); block 0 of a row "has no predecessor" and, by mistake, never
// publishes its carry, so block 1 spins forever and every later block behind it. An evaluator without a deadline
// hangs with it (and a search stalls on one candidate).
// How it should be caught: the orchestrator's per-call deadline kills the runner process and starts a fresh one:
// `timeout`.
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;
constexpr int kParts = 4;

__global__ void __launch_bounds__(kThreads) scan_part(const float* __restrict__ x, float* __restrict__ y, int64_t cols,
                                                     volatile int* flags, volatile float* carries) {
    __shared__ float partial[kThreads];
    __shared__ float carry_in;
    const int64_t row = blockIdx.x / kParts;
    const int part = blockIdx.x % kParts;
    const int64_t len = cols / kParts;
    const float* xr = x + row * cols + part * len;
    float* yr = y + row * cols + part * len;
    const int64_t per = (len + kThreads - 1) / kThreads;
    const int64_t begin = threadIdx.x * per;
    float s = 0.0f;
    for (int64_t i = begin; i < begin + per && i < len; ++i) s += xr[i];
    partial[threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.x == 0) {
        float run = 0.0f;
        for (int t = 0; t < kThreads; ++t) {
            const float v = partial[t];
            partial[t] = run;
            run += v;
        }
        float in = 0.0f;
        if (part > 0) {
            const int64_t prev = blockIdx.x - 1;
            while (flags[prev] == 0) {
            }
            in = carries[prev];
            carries[blockIdx.x] = in + run;
            __threadfence();
            flags[blockIdx.x] = 1;
        }
        // Block 0 of a row: no predecessor, so nothing to wait for ... and nothing published either.
        carry_in = in;
    }
    __syncthreads();
    float acc = carry_in + partial[threadIdx.x];
    for (int64_t i = begin; i < begin + per && i < len; ++i) {
        acc += xr[i];
        yr[i] = acc;
    }
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    if (x->dtype != KF_FLOAT32 || x->ndim != 2) return 1001;
    const int64_t rows = x->shape[0], cols = x->shape[1];
    if (cols % kParts != 0) return 1001;
    if (rows == 0 || cols == 0) return 0;
    const int64_t blocks = rows * kParts;
    char* ws = ctx && ctx->workspace ? static_cast<char*>(ctx->workspace(ctx, blocks * (sizeof(int) + sizeof(float)))) : nullptr;
    if (!ws) return 1003;
    int* flags = reinterpret_cast<int*>(ws);
    float* carries = reinterpret_cast<float*>(ws + blocks * sizeof(int));
    const cudaError_t e = cudaMemsetAsync(flags, 0, blocks * sizeof(int), stream);
    if (e != cudaSuccess) return (int)e;
    scan_part<<<(unsigned)blocks, kThreads, 0, stream>>>(static_cast<const float*>(x->data), static_cast<float*>(outputs[0].data),
                                                        cols, flags, carries);
    return (int)cudaGetLastError();
}
