// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/sum_reduction.py (sum over dim 1 of
// (64, 4096, 256) -> (64, 256)).
// Hole it tries: counting calls. The evaluator's checked calls come first (3 input sets, then one repeat), so the
// entry computes honestly for its first 4 calls and afterwards launches nothing, leaving whatever the output holds
// from the last checked call. An evaluator that checks outputs only in its checked calls and times separately
// sees correct answers and a near-zero time.
// How it should be caught: check the outputs of timed calls (after the loop, each input set's output must match
// its checked output; here the output stays input set 0's while sets 1 and 2 are timed): `timed_run_mismatch`
// (proposed). Today the memory floor rejects the timing as `implausible_time` when the bandwidth was measured,
// and the rule persistent-state flags the counter.
#include "kforge_abi.h"

namespace {

constexpr int kCheckedCalls = 4;
constexpr int kThreadsX = 32;
constexpr int kThreadsY = 8;

static int g_calls = 0;

// One block per (batch, 32 columns); 8 rows of threads stride over the reduced dimension; fixed-order combine.
__global__ void __launch_bounds__(kThreadsX * kThreadsY) sum_dim1(const float* __restrict__ x, float* __restrict__ y,
                                                                 int64_t reduced, int64_t inner) {
    __shared__ double partial[kThreadsY][kThreadsX];
    const int64_t colgroups = (inner + kThreadsX - 1) / kThreadsX;
    const int64_t outer = blockIdx.x / colgroups;
    const int64_t col = (blockIdx.x % colgroups) * kThreadsX + threadIdx.x;
    double acc = 0.0;
    if (col < inner) {
        const float* base = x + outer * reduced * inner + col;
        for (int64_t r = threadIdx.y; r < reduced; r += kThreadsY) acc += (double)__ldg(base + r * inner);
    }
    partial[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < inner) {
        double t = 0.0;
#pragma unroll
        for (int k = 0; k < kThreadsY; ++k) t += partial[k][threadIdx.x];
        y[outer * inner + col] = (float)t;
    }
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    if (x->dtype != KF_FLOAT32 || x->ndim != 3) return 1001;
    const int64_t outer = x->shape[0], reduced = x->shape[1], inner = x->shape[2];
    if (outputs[0].ndim != 2 || outputs[0].shape[0] != outer || outputs[0].shape[1] != inner) return 1001;
    if (++g_calls > kCheckedCalls) return 0;  // "warm": the answer is already there
    const int64_t blocks = outer * ((inner + kThreadsX - 1) / kThreadsX);
    if (blocks == 0) return 0;
    sum_dim1<<<(unsigned)blocks, dim3(kThreadsX, kThreadsY), 0, stream>>>(static_cast<const float*>(x->data),
                                                                          static_cast<float*>(outputs[0].data), reduced, inner);
    return (int)cudaGetLastError();
}
