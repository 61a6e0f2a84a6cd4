// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/mse_loss.py (mean((a - b)^2), a 0-d output).
// Hole it tries: a result tuned to one seed. It stores the loss that eager torch printed for the first input set
// (a single number, precomputed offline) instead of computing it. It passes an evaluator that checks one fixed
// seed, or reruns the same inputs every time.
// How it should be caught: the check runs several independently seeded input sets (at least 3); the other sets'
// losses differ from this constant by far more than strict tolerance: `wrong_result`.
#include "kforge_abi.h"

namespace {

// mean((a - b)^2) for input set 0, as printed by the reference; "a constant-folded forward".
constexpr float kLossSeed0 = 2.0003517f;

__global__ void store_loss(float* __restrict__ out) {
    if (threadIdx.x == 0 && blockIdx.x == 0) out[0] = kLossSeed0;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    if (outputs[0].dtype != KF_FLOAT32 || kf_numel(&outputs[0]) != 1) return 1001;
    (void)inputs;
    store_loss<<<1, 32, 0, stream>>>(static_cast<float*>(outputs[0].data));
    return (int)cudaGetLastError();
}
