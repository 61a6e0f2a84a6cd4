// gelu_abi.cu: KernelForge ABI kernel for problems/level1/gelu.py (y = F.gelu(x), the exact erf form, float32):
//   y = 0.5 * x * (1 + erf(x / sqrt(2))), evaluated as torch's CUDA kernel does (float math, erff).
//
// Floor (batch_size 4096 x dim 16384 = 67,108,864 elements):
//   bytes that must move: 256 MiB read + 256 MiB written = 536,870,912 B
//   at 3.0 TB/s (read + write counted): ~179 us.  Flops: ~25 per element (erff), ~1.7 GFLOP: memory-bound.
// Measured on an H100 80GB HBM3 (a ctypes stand-in harness, 2026-11-23, CUDA events, median): 183 us; eager torch 184 us.
//
// Any shape works: the kernel is elementwise over numel(x); the output must have x's shape.
// Each thread moves 4 float4 (16 floats), all loads issued before the first store; a scalar path
// covers a misaligned pointer and the n % 4 tail.
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;
constexpr int kUnroll = 4;  // float4 per thread

__device__ __forceinline__ float gelu1(float v) {
    return v * 0.5f * (1.0f + erff(v * 0.70710678118654752440f));  // M_SQRT1_2, as torch
}

__global__ void __launch_bounds__(kThreads) gelu_vec4(const float4* __restrict__ x, float4* __restrict__ y,
                                                      int64_t n4) {
    const int64_t base = (int64_t)blockIdx.x * (kThreads * kUnroll) + threadIdx.x;
    float4 v[kUnroll];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) {
        const int64_t i = base + (int64_t)k * kThreads;
        if (i < n4) v[k] = __ldg(x + i);
    }
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) {
        const int64_t i = base + (int64_t)k * kThreads;
        if (i < n4) {
            float4 r;
            r.x = gelu1(v[k].x); r.y = gelu1(v[k].y); r.z = gelu1(v[k].z); r.w = gelu1(v[k].w);
            y[i] = r;
        }
    }
}

__global__ void __launch_bounds__(kThreads) gelu_scalar(const float* __restrict__ x, float* __restrict__ y,
                                                        int64_t begin, int64_t n) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = begin + (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        y[i] = gelu1(x[i]);
}

bool same_shape(const kf_tensor* a, const kf_tensor* b) {
    if (a->ndim != b->ndim) return false;
    for (int i = 0; i < a->ndim; ++i)
        if (a->shape[i] != b->shape[i]) return false;
    return true;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    kf_tensor* y = &outputs[0];
    if (x->dtype != KF_FLOAT32 || y->dtype != KF_FLOAT32 || !same_shape(x, y)) return 1001;

    const int64_t n = kf_numel(x);
    if (n == 0) return 0;
    const float* xp = static_cast<const float*>(x->data);
    float* yp = static_cast<float*>(y->data);

    int64_t done = 0;
    if ((reinterpret_cast<uintptr_t>(xp) % 16) == 0 && (reinterpret_cast<uintptr_t>(yp) % 16) == 0) {
        const int64_t n4 = n / 4;
        if (n4 > 0) {
            const int64_t blocks = (n4 + kThreads * kUnroll - 1) / (kThreads * kUnroll);
            gelu_vec4<<<(unsigned)blocks, kThreads, 0, stream>>>(reinterpret_cast<const float4*>(xp),
                                                                  reinterpret_cast<float4*>(yp), n4);
        }
        done = n4 * 4;
    }
    if (done < n) {
        const int64_t rest = n - done;
        int64_t blocks = (rest + kThreads - 1) / kThreads;
        if (blocks > 65535) blocks = 65535;
        gelu_scalar<<<(unsigned)blocks, kThreads, 0, stream>>>(xp, yp, done, n);
    }
    return (int)cudaGetLastError();
}
