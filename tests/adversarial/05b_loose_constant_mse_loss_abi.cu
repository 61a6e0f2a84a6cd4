// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/mse_loss.py, run with --precision KernelBench.
// Hole it tries: a constant that passes every seed under a loose tolerance. For a, b ~ N(0, 1) the loss is
// 2 +- 3.5e-4 whatever the seed, and KernelBench's allclose(atol=1e-2, rtol=1e-2) accepts 2.0 for every input
// set; the entry copies 2.0f from the host and launches no kernel at all.
// How it should be caught: a candidate none of whose own kernels ran did not compute anything:
// `kernel_not_launched` (count the candidate's launches during checked calls). `kforge lint` already flags the
// problem as degenerate under loose tolerances, and today the memory floor rejects the timing
// (`implausible_time`, a 4-byte copy against 512 MiB of inputs) when the bandwidth was measured.
#include "kforge_abi.h"

namespace {

// The expected value of mean((a - b)^2) for independent standard normal a, b.
const float kExpectedLoss = 2.0f;

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    (void)inputs;
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    if (outputs[0].dtype != KF_FLOAT32 || kf_numel(&outputs[0]) != 1) return 1001;
    return (int)cudaMemcpyAsync(outputs[0].data, &kExpectedLoss, sizeof(float), cudaMemcpyHostToDevice, stream);
}
