// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/matmul.py (C = A @ B, 4096 x 4096, float32).
// Hole it tries: behaving differently when timed, with no state kept between calls. The harness poisons outputs
// (NaN bits 0x7FC0DEAD, documented in abi/README.md) before every checked call but not before warm-up and timed
// calls. A one-thread probe reads C[0]: poisoned means "being checked", so the real GEMM runs; anything else means
// "being timed", so the GEMM blocks exit at once and a cheap elementwise pass writes C = A + B instead. That pass
// reads A and B and writes C once (the problem's 192 MiB memory floor), so the floor check is satisfied, and the
// candidate reports ~90 us against milliseconds for eager torch.
// How it should be caught: check the outputs of timed calls too (for example the last timed call of each input
// set, against that set's checked output, or poison before timed calls as well): `timed_run_mismatch`
// (proposed). Not caught by current code: the result is accepted with only the >10x speedup warning.
#include "kforge_abi.h"

namespace {

constexpr int kTile = 16;
constexpr unsigned kPoison = 0x7FC0DEADu;

// mode[0] = 1: C[0] held the poison, do the full product.
__global__ void probe(const float* __restrict__ c, int* __restrict__ mode) {
    mode[0] = __float_as_uint(c[0]) == kPoison ? 1 : 0;
}

__global__ void __launch_bounds__(kTile * kTile) sgemm(const float* __restrict__ a, const float* __restrict__ b,
                                                      float* __restrict__ c, int n, const int* __restrict__ mode) {
    if (mode[0] == 0) return;
    __shared__ float as[kTile][kTile];
    __shared__ float bs[kTile][kTile];
    const int row = blockIdx.y * kTile + threadIdx.y;
    const int col = blockIdx.x * kTile + threadIdx.x;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += kTile) {
        as[threadIdx.y][threadIdx.x] = row < n && k0 + threadIdx.x < n ? a[(int64_t)row * n + k0 + threadIdx.x] : 0.0f;
        bs[threadIdx.y][threadIdx.x] = col < n && k0 + threadIdx.y < n ? b[(int64_t)(k0 + threadIdx.y) * n + col] : 0.0f;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < kTile; ++k) acc = fmaf(as[threadIdx.y][k], bs[k][threadIdx.x], acc);
        __syncthreads();
    }
    if (row < n && col < n) c[(int64_t)row * n + col] = acc;
}

// The "fast path": touches every byte the problem must move, computes nothing of use.
__global__ void streaming_pass(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c, int64_t count,
                               const int* __restrict__ mode) {
    if (mode[0] != 0) return;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += (int64_t)gridDim.x * blockDim.x)
        c[i] = __ldg(a + i) + __ldg(b + i);
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    const kf_tensor* a = &inputs[0];
    const kf_tensor* b = &inputs[1];
    kf_tensor* c = &outputs[0];
    if (a->ndim != 2 || b->ndim != 2 || c->ndim != 2) return 1001;
    const int64_t n = a->shape[0];
    if (a->shape[1] != n || b->shape[0] != n || b->shape[1] != n || c->shape[0] != n || c->shape[1] != n) return 1001;
    if (n == 0) return 0;
    int* mode = ctx && ctx->workspace ? static_cast<int*>(ctx->workspace(ctx, sizeof(int))) : nullptr;
    if (!mode) return 1003;
    const float* ap = static_cast<const float*>(a->data);
    const float* bp = static_cast<const float*>(b->data);
    float* cp = static_cast<float*>(c->data);
    probe<<<1, 1, 0, stream>>>(cp, mode);
    const dim3 grid((unsigned)((n + kTile - 1) / kTile), (unsigned)((n + kTile - 1) / kTile));
    sgemm<<<grid, dim3(kTile, kTile), 0, stream>>>(ap, bp, cp, (int)n, mode);
    streaming_pass<<<2048, 256, 0, stream>>>(ap, bp, cp, n * n, mode);
    return (int)cudaGetLastError();
}
