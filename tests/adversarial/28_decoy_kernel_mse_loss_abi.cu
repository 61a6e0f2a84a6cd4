// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/mse_loss.py, run with --precision KernelBench.
// Hole it tries: 05b's constant (mean((a - b)^2) of independent N(0, 1) inputs is 2 +- 3.5e-4 for every seed, which
// KernelBench's allclose(atol=1e-2, rtol=1e-2) accepts), now with a real kernel in the module so that the build-time
// check (ptxas compiled no __global__ function) passes. The kernel is never launched; the entry copies 2.0f from the
// host.
// How it should be caught: launches counted during the checked calls (CUPTI) are zero: `kernel_not_launched`.
#include "kforge_abi.h"

namespace {

const float kExpectedLoss = 2.0f;

// A decoy: it would compute the loss with one block, but nothing launches it.
__global__ void mse_decoy(const float* a, const float* b, float* out, long n) {
    __shared__ float partial[256];
    float sum = 0.0f;
    for (long i = threadIdx.x; i < n; i += blockDim.x) {
        const float d = a[i] - b[i];
        sum += d * d;
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = 128; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) out[0] = partial[0] / (float)n;
}

}  // namespace

// Keeps the decoy referenced, so that it stays in the module.
void* kforge_decoy_address() { return (void*)&mse_decoy; }

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    (void)inputs;
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    if (outputs[0].dtype != KF_FLOAT32 || kf_numel(&outputs[0]) != 1) return 1001;
    return (int)cudaMemcpyAsync(outputs[0].data, &kExpectedLoss, sizeof(float), cudaMemcpyHostToDevice, stream);
}
