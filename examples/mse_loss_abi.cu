// mse_loss_abi.cu: KernelForge ABI kernel for problems/level1/mse_loss.py
// (torch.mean((a - b) ** 2) over two (batch_size 16384, dim 4096) float32 tensors -> a 0-d float32 tensor).
//
// Floor: bytes that must move: 2 x 256 MiB read (2 x 67,108,864 floats) + 4 B written = 536,870,916 B
//   at 3.0 TB/s: ~179 us.  Flops: 3 per element (~0.2 GFLOP): memory-bound.
// Measured on an H100 80GB HBM3 (a ctypes stand-in harness, 2026-11-23, CUDA events, median): 183 us; eager torch 544 us.
//
// Two-stage deterministic reduction, no atomics: stage 1, a grid of about 4 blocks per SM strides over the
// data with float4 loads (4 float4 of each input in flight per thread); each thread accumulates (a - b)^2 in
// double, the block reduces with warp shuffles and shared memory and writes one double partial to
// ctx->workspace. Stage 2, one block adds the partials in a fixed tree order, divides by n and writes the
// float result, so the output (poisoned with NaN by the harness) is always overwritten. The double
// accumulation leaves the final double -> float rounding as the only error of note.
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;
constexpr int kUnroll = 4;
constexpr int kMaxBlocks = 1024;  // stage 2 reduces at most this many partials with one block
constexpr unsigned kFull = 0xffffffffu;

__device__ __forceinline__ double warp_sum(double v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
    return v;
}
// Result valid in thread 0.
__device__ __forceinline__ double block_sum(double v) {
    __shared__ double s_red[32];
    v = warp_sum(v);
    if ((threadIdx.x & 31) == 0) s_red[threadIdx.x >> 5] = v;
    __syncthreads();
    if (threadIdx.x < 32) {
        v = threadIdx.x < (blockDim.x >> 5) ? s_red[threadIdx.x] : 0.0;
        v = warp_sum(v);
    }
    return v;
}

__device__ __forceinline__ double sq(float a, float b) {
    const double d = (double)a - (double)b;
    return d * d;
}

// n4 float4s through the vector path, then elements [tail_begin, n) scalar.
template <bool kVec>
__global__ void __launch_bounds__(kThreads) mse_partials(const float* __restrict__ a, const float* __restrict__ b,
                                                         int64_t n, double* __restrict__ partial) {
    double acc = 0.0;
    const int64_t tid = (int64_t)blockIdx.x * kThreads + threadIdx.x;
    const int64_t nthreads = (int64_t)gridDim.x * kThreads;
    int64_t tail_begin = 0;
    if (kVec) {
        const float4* a4 = reinterpret_cast<const float4*>(a);
        const float4* b4 = reinterpret_cast<const float4*>(b);
        const int64_t n4 = n / 4;
        int64_t i = tid;
        for (; i + (kUnroll - 1) * nthreads < n4; i += kUnroll * nthreads) {
            float4 va[kUnroll], vb[kUnroll];
#pragma unroll
            for (int k = 0; k < kUnroll; ++k) {
                va[k] = __ldg(a4 + i + k * nthreads);
                vb[k] = __ldg(b4 + i + k * nthreads);
            }
#pragma unroll
            for (int k = 0; k < kUnroll; ++k)
                acc += (sq(va[k].x, vb[k].x) + sq(va[k].y, vb[k].y)) + (sq(va[k].z, vb[k].z) + sq(va[k].w, vb[k].w));
        }
        for (; i < n4; i += nthreads) {
            const float4 va = __ldg(a4 + i), vb = __ldg(b4 + i);
            acc += (sq(va.x, vb.x) + sq(va.y, vb.y)) + (sq(va.z, vb.z) + sq(va.w, vb.w));
        }
        tail_begin = n4 * 4;
    }
    for (int64_t i = tail_begin + tid; i < n; i += nthreads) acc += sq(__ldg(a + i), __ldg(b + i));
    acc = block_sum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = acc;
}

__global__ void __launch_bounds__(kMaxBlocks) mse_finish(const double* __restrict__ partial, int count, double n,
                                                         float* __restrict__ out) {
    double v = threadIdx.x < count ? partial[threadIdx.x] : 0.0;
    v = block_sum(v);
    if (threadIdx.x == 0) out[0] = (float)(v / n);
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
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    const kf_tensor* a = &inputs[0];
    const kf_tensor* b = &inputs[1];
    kf_tensor* y = &outputs[0];
    if (a->dtype != KF_FLOAT32 || b->dtype != KF_FLOAT32 || y->dtype != KF_FLOAT32) return 1001;
    if (!same_shape(a, b) || kf_numel(y) != 1) return 1001;  // y is 0-d
    const int64_t n = kf_numel(a);
    float* out = static_cast<float*>(y->data);
    if (n == 0) return 1001;  // torch gives NaN for an empty mean; not this problem

    int device = ctx ? ctx->device : 0, sms = 132;
    if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess || sms <= 0) sms = 132;
    int64_t blocks = 4LL * sms;
    const int64_t needed = (n + (int64_t)kThreads * 4 * kUnroll - 1) / ((int64_t)kThreads * 4 * kUnroll);
    if (blocks > needed) blocks = needed;
    if (blocks > kMaxBlocks) blocks = kMaxBlocks;
    if (blocks < 1) blocks = 1;

    double* partial = ctx && ctx->workspace ? static_cast<double*>(ctx->workspace(ctx, (size_t)blocks * sizeof(double)))
                                            : nullptr;
    if (!partial) return 1003;

    const float* ap = static_cast<const float*>(a->data);
    const float* bp = static_cast<const float*>(b->data);
    const bool vec = (reinterpret_cast<uintptr_t>(ap) % 16) == 0 && (reinterpret_cast<uintptr_t>(bp) % 16) == 0;
    if (vec)
        mse_partials<true><<<(unsigned)blocks, kThreads, 0, stream>>>(ap, bp, n, partial);
    else
        mse_partials<false><<<(unsigned)blocks, kThreads, 0, stream>>>(ap, bp, n, partial);
    mse_finish<<<1, kMaxBlocks, 0, stream>>>(partial, (int)blocks, (double)n, out);
    return (int)cudaGetLastError();
}
