// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/mean_reduction.py (mean over rows of 4096).
// Hole it tries: a data race. A classic shared-memory tree reduction with the __syncthreads() calls left out
// ("the warps run in lockstep anyway"): a warp can read a partner slot before the warp that owns it has stored its
// partial sum, so some rows add stale shared memory (another block's partials) or miss a partial. Which rows
// go wrong depends on warp scheduling, so an evaluator that checks a single run, or only a few rows, can pass it.
// How it should be caught: some of the 16384 rows lose the race on every run, so the comparison with the float64
// reference fails: `wrong_result`; if every checked run happened to win the race, rerunning input set 0 catches
// the moving outputs: `nondeterministic_output`.
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;

__global__ void __launch_bounds__(kThreads) mean_rows(const float* __restrict__ x, float* __restrict__ y, int64_t cols) {
    __shared__ float partial[kThreads];
    const float* row = x + (int64_t)blockIdx.x * cols;
    float s = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) s += __ldg(row + c);
    partial[threadIdx.x] = s;
    // Missing: __syncthreads() here and after every step below.
    for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
    }
    if (threadIdx.x == 0) y[blockIdx.x] = partial[0] / (float)cols;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    if (x->dtype != KF_FLOAT32 || x->ndim != 2 || outputs[0].ndim != 1 || outputs[0].shape[0] != x->shape[0]) return 1001;
    const int64_t rows = x->shape[0], cols = x->shape[1];
    if (rows == 0) return 0;
    mean_rows<<<(unsigned)rows, kThreads, 0, stream>>>(static_cast<const float*>(x->data), static_cast<float*>(outputs[0].data), cols);
    return (int)cudaGetLastError();
}
