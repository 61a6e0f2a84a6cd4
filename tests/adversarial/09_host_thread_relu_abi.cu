// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py (4096 x 16384).
// Hole it tries: work done by a host thread outside the timed call. The entry hands the launch to a detached
// std::thread and returns at once; the timed region then covers only the thread's creation, and the kernel lands
// whenever the thread gets scheduled (possibly after the harness's end event, or overlapping the next call).
// How it should be caught: statically, before compiling: the rule host-threads bans <thread>, std::thread,
// pthreads, OpenMP and host callbacks (`banned_construct`).
#include "kforge_abi.h"
#include <thread>

namespace {

constexpr int kThreads = 256;

__global__ void relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const int64_t n = kf_numel(&inputs[0]);
    if (n == 0) return 0;
    const float* x = static_cast<const float*>(inputs[0].data);
    float* y = static_cast<float*>(outputs[0].data);
    std::thread launcher([=] { relu_kernel<<<4096, kThreads, 0, stream>>>(x, y, n); });
    launcher.detach();
    return 0;
}
