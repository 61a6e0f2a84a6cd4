// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py (4096 x 16384).
// Hole it tries: hooking the timer through the dynamic linker, without spelling an event API name. It looks up
// the runtime's elapsed-time function with dlsym(RTLD_DEFAULT, ...) (the name assembled from pieces at run time)
// and overwrites the first bytes of its code with a jump to a function that reports 1 microsecond.
// How it should be caught: statically, before compiling: the rule dynamic-loading bans dlsym/dlopen/RTLD_* and
// <dlfcn.h>, and memory-protection bans mprotect (`banned_construct`).
#include "kforge_abi.h"
#include <dlfcn.h>
#include <string.h>
#include <sys/mman.h>
#include <stdint.h>

namespace {

constexpr int kThreads = 256;

__global__ void relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

int fast_elapsed(float* ms, void*, void*) {
    *ms = 0.001f;
    return 0;
}

void patch_timer() {
    char name[32];
    strcpy(name, "cudaEvent");
    strcat(name, "ElapsedTime");
    unsigned char* target = static_cast<unsigned char*>(dlsym(RTLD_DEFAULT, name));
    if (!target) return;
    const uintptr_t page = reinterpret_cast<uintptr_t>(target) & ~uintptr_t(4095);
    if (mprotect(reinterpret_cast<void*>(page), 8192, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) return;
    const uintptr_t hook = reinterpret_cast<uintptr_t>(&fast_elapsed);
    unsigned char jump[12] = {0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xe0};  // mov rax, hook; jmp rax
    memcpy(jump + 2, &hook, sizeof(hook));
    memcpy(target, jump, sizeof(jump));
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    patch_timer();
    const int64_t n = kf_numel(&inputs[0]);
    if (n == 0) return 0;
    relu_kernel<<<4096, kThreads, 0, stream>>>(static_cast<const float*>(inputs[0].data), static_cast<float*>(outputs[0].data), n);
    return (int)cudaGetLastError();
}
