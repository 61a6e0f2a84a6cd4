// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/matmul.py (C = A @ B, 4096 x 4096, float32).
// Hole it tries: silently lower precision. It rounds every element of A and B to TF32 (10-bit mantissa, the
// cvt.rna.tf32.f32 PTX instruction, what tensor cores take) before a float32 multiply-accumulate, the way a
// tensor-core kernel would, and reports itself as a float32 kernel. Its error (about 1e-2 absolute on outputs of
// magnitude ~64) passes KernelBench's allclose(1e-2, 1e-2) but is ~100x eager float32's own error.
// How it should be caught: the strict precision policy allows at most 10x the error eager float32 makes against
// the float64 reference: `wrong_result` (under the default --precision Strict).
#include "kforge_abi.h"

namespace {

constexpr int kTile = 16;

__device__ __forceinline__ float to_tf32(float v) {
    unsigned bits;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(bits) : "f"(v));
    return __uint_as_float(bits);
}

__global__ void __launch_bounds__(kTile * kTile) sgemm_tf32(const float* __restrict__ a, const float* __restrict__ b,
                                                           float* __restrict__ c, int n) {
    __shared__ float as[kTile][kTile];
    __shared__ float bs[kTile][kTile];
    const int row = blockIdx.y * kTile + threadIdx.y;
    const int col = blockIdx.x * kTile + threadIdx.x;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += kTile) {
        as[threadIdx.y][threadIdx.x] = row < n && k0 + threadIdx.x < n ? to_tf32(a[(int64_t)row * n + k0 + threadIdx.x]) : 0.0f;
        bs[threadIdx.y][threadIdx.x] = col < n && k0 + threadIdx.y < n ? to_tf32(b[(int64_t)(k0 + threadIdx.y) * n + col]) : 0.0f;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < kTile; ++k) acc = fmaf(as[threadIdx.y][k], bs[k][threadIdx.x], acc);
        __syncthreads();
    }
    if (row < n && col < n) c[(int64_t)row * n + col] = acc;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    const kf_tensor* a = &inputs[0];
    const kf_tensor* b = &inputs[1];
    kf_tensor* c = &outputs[0];
    if (a->dtype != KF_FLOAT32 || b->dtype != KF_FLOAT32 || c->dtype != KF_FLOAT32) return 1001;
    if (a->ndim != 2 || b->ndim != 2 || c->ndim != 2) return 1001;
    const int64_t n = a->shape[0];
    if (a->shape[1] != n || b->shape[0] != n || b->shape[1] != n || c->shape[0] != n || c->shape[1] != n) return 1001;
    if (n == 0) return 0;
    const dim3 grid((unsigned)((n + kTile - 1) / kTile), (unsigned)((n + kTile - 1) / kTile));
    sgemm_tf32<<<grid, dim3(kTile, kTile), 0, stream>>>(static_cast<const float*>(a->data), static_cast<const float*>(b->data),
                                                        static_cast<float*>(c->data), (int)n);
    return (int)cudaGetLastError();
}
