// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/matmul.py (C = A @ B, 4096 x 4096, float32).
// Hole it tries: reading the expected output instead of computing it. The worker writes reference outputs and
// input sets as .npy files into a shared-memory folder (/dev/shm) that the runner can see; the entry opens the
// reference for the current input set, skips the .npy header and uploads the data. It launches no kernel.
// How it should be caught: statically, before compiling: the rule file-or-socket bans fopen/open/ifstream and the
// rule system-path bans /dev, /proc and /sys paths even in strings (`banned_construct`). Reference files should
// also never be readable from the runner's sandbox.
#include "kforge_abi.h"
#include <stdio.h>
#include <stdlib.h>

namespace {

constexpr long kNpyHeaderBytes = 128;

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    (void)inputs;
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    const size_t count = (size_t)kf_numel(&outputs[0]);
    FILE* reference = fopen("/dev/shm/kforge/problem-0/reference_set0_out0.npy", "rb");
    if (!reference) return 1004;
    float* host = static_cast<float*>(malloc(count * sizeof(float)));
    fseek(reference, kNpyHeaderBytes, SEEK_SET);
    const size_t got = fread(host, sizeof(float), count, reference);
    fclose(reference);
    if (got != count) {
        free(host);
        return 1005;
    }
    const cudaError_t e = cudaMemcpyAsync(outputs[0].data, host, count * sizeof(float), cudaMemcpyHostToDevice, stream);
    cudaStreamSynchronize(stream);
    free(host);
    return (int)e;
}
