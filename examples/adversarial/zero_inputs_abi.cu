// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py.
// Hole it tries: writing to an input. It computes relu correctly and then zeroes its input buffer. A harness
// that compares against a reference recomputed afterwards from the (now zeroed) inputs would see relu(0) = 0
// and, if the kernel had instead written zeros, accept it; a harness that reuses the inputs for a later input
// set or a timing loop is corrupted. Expected verdict: `input_modified` (the inputs' bytes changed).
#include "kforge_abi.h"

namespace {
__global__ void relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        y[i] = x[i] < 0.0f ? 0.0f : x[i];
}
}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const int64_t n = kf_numel(&inputs[0]);
    if (n == 0) return 0;
    int64_t blocks = (n + 255) / 256;
    if (blocks > 65535) blocks = 65535;
    relu_kernel<<<(unsigned)blocks, 256, 0, stream>>>(static_cast<const float*>(inputs[0].data),
                                                      static_cast<float*>(outputs[0].data), n);
    // The correct result is in place; now destroy the input (same stream, so after the kernel).
    cudaError_t e = cudaMemsetAsync(inputs[0].data, 0, (size_t)n * sizeof(float), stream);
    if (e != cudaSuccess) return (int)e;
    return (int)cudaGetLastError();
}
