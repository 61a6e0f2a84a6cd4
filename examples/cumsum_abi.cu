// cumsum_abi.cu: KernelForge ABI kernel for problems/level1/cumsum.py
// (torch.cumsum(x, dim=1) on a (batch_size 8192, dim 8192) float32 tensor: an inclusive scan along each row).
//
// Floor: bytes that must move: 256 MiB read + 256 MiB written (67,108,864 floats each way) = 536,870,912 B
//   at 3.0 TB/s (read + write counted): ~179 us.  Flops: 1 add per element: memory-bound.
// Measured on an H100 80GB HBM3 (a ctypes stand-in harness, 2026-11-23, CUDA events, median): 201 us; eager torch 419 us.
//
// The scanned dimension is 1 (the problem's get_init_inputs) and must be the innermost one with extent > 1:
// x is viewed as (rows = shape[0], L = shape[1]), every later extent must be 1; y must have x's shape.
// One block of 256 threads per row walks it in tiles of 1024 floats (one float4 per thread, the next tile's
// load issued before the current tile is scanned). In a tile: each thread scans its 4 values, a warp scans
// the thread totals with shuffles, the 8 warp totals go through shared memory, and a running row carry adds
// the earlier tiles. All of the scan arithmetic is in double, so the prefix sums are essentially exact and the
// only error is the final double -> float rounding (eager torch accumulates in float).
#include "kforge_abi.h"

namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
constexpr int kTile = kThreads * 4;
constexpr unsigned kFull = 0xffffffffu;

template <bool kVec>
__device__ __forceinline__ float4 load4(const float* __restrict__ row, int64_t i, int64_t L) {
    if (kVec) {  // L % 4 == 0 and row 16-byte aligned: a float4 is wholly in or out
        return i < L ? __ldg(reinterpret_cast<const float4*>(row + i)) : make_float4(0.f, 0.f, 0.f, 0.f);
    } else {
        float4 v;
        v.x = i < L ? __ldg(row + i) : 0.f;
        v.y = i + 1 < L ? __ldg(row + i + 1) : 0.f;
        v.z = i + 2 < L ? __ldg(row + i + 2) : 0.f;
        v.w = i + 3 < L ? __ldg(row + i + 3) : 0.f;
        return v;
    }
}

template <bool kVec>
__device__ __forceinline__ void store4(float* __restrict__ row, int64_t i, int64_t L, float4 v) {
    if (kVec) {
        if (i < L) *reinterpret_cast<float4*>(row + i) = v;
    } else {
        if (i < L) row[i] = v.x;
        if (i + 1 < L) row[i + 1] = v.y;
        if (i + 2 < L) row[i + 2] = v.z;
        if (i + 3 < L) row[i + 3] = v.w;
    }
}

template <bool kVec>
__global__ void __launch_bounds__(kThreads) cumsum_rows(const float* __restrict__ x, float* __restrict__ y, int64_t L) {
    __shared__ double s_warp[kWarps];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const float* xr = x + (int64_t)blockIdx.x * L;
    float* yr = y + (int64_t)blockIdx.x * L;

    double carry = 0.0;
    float4 cur = load4<kVec>(xr, 4 * (int64_t)threadIdx.x, L);
    for (int64_t t0 = 0; t0 < L; t0 += kTile) {
        const int64_t i = t0 + 4 * (int64_t)threadIdx.x;
        const float4 nxt = load4<kVec>(xr, i + kTile, L);  // prefetch the next tile (zeros past the end)

        const double p0 = (double)cur.x;
        const double p1 = p0 + (double)cur.y;
        const double p2 = p1 + (double)cur.z;
        const double p3 = p2 + (double)cur.w;

        double inc = p3;  // inclusive scan of the thread totals within the warp
#pragma unroll
        for (int o = 1; o < 32; o <<= 1) {
            const double n = __shfl_up_sync(kFull, inc, o);
            if (lane >= o) inc += n;
        }
        double exc = __shfl_up_sync(kFull, inc, 1);
        if (lane == 0) exc = 0.0;
        if (lane == 31) s_warp[warp] = inc;
        __syncthreads();

        double before = 0.0, total = 0.0;  // same order in every thread, so `carry` agrees across the block
#pragma unroll
        for (int k = 0; k < kWarps; ++k) {
            const double t = s_warp[k];
            if (k < warp) before += t;
            total += t;
        }
        const double base = carry + before + exc;
        store4<kVec>(yr, i, L, make_float4((float)(base + p0), (float)(base + p1), (float)(base + p2),
                                           (float)(base + p3)));
        carry += total;
        __syncthreads();  // s_warp is rewritten by the next tile
        cur = nxt;
    }
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    kf_tensor* y = &outputs[0];
    if (x->dtype != KF_FLOAT32 || y->dtype != KF_FLOAT32 || x->ndim < 2 || x->ndim != y->ndim) return 1001;
    for (int i = 0; i < x->ndim; ++i)
        if (x->shape[i] != y->shape[i]) return 1001;
    for (int i = 2; i < x->ndim; ++i)
        if (x->shape[i] != 1) return 1001;  // this kernel scans the innermost dimension only
    const int64_t rows = x->shape[0], L = x->shape[1];
    if (rows == 0 || L == 0) return 0;
    if (rows > 0x7fffffffLL) return 1002;
    const float* xp = static_cast<const float*>(x->data);
    float* yp = static_cast<float*>(y->data);
    const bool vec = L % 4 == 0 && (reinterpret_cast<uintptr_t>(xp) % 16) == 0 &&
                     (reinterpret_cast<uintptr_t>(yp) % 16) == 0;
    if (vec)
        cumsum_rows<true><<<(unsigned)rows, kThreads, 0, stream>>>(xp, yp, L);
    else
        cumsum_rows<false><<<(unsigned)rows, kThreads, 0, stream>>>(xp, yp, L);
    return (int)cudaGetLastError();
}
