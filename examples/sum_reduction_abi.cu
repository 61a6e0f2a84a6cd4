// sum_reduction_abi.cu: KernelForge ABI kernel for problems/level1/sum_reduction.py
// (torch.sum(x, dim=1), float32; x (batch_size 64, dim1 4096, dim2 256) -> (64, 256)).
//
// Floor: bytes that must move: 256 MiB read (67,108,864 floats) + 64 KiB written = 268,500,992 B
//   at 3.0 TB/s: ~89.5 us.  Flops: 1 add per element: memory-bound.
// Measured on an H100 80GB HBM3 (a ctypes stand-in harness, 2026-11-23, CUDA events, median): 100 us; eager torch 102 us.
//
// The reduced dimension is 1 (the problem's get_init_inputs); x is viewed as (outer, R, inner) with
// outer = shape[0], R = shape[1], inner = prod(shape[2:]), and the output must have x's shape without dim 1.
// inner > 1: each block owns 32 x 4 = 128 adjacent columns (float4 loads, a warp reads 512 contiguous bytes
// of one row) of one outer index and a slice of the R rows; 8 warps stride over the slice with 4 loads in
// flight each. R is split over S slices so that the grid fills the GPU (about 4 blocks per SM); per-thread
// accumulation is in double, the block's 8 row-partials are added in shared memory in a fixed order, the
// S slice-partials (double, in ctx->workspace) are added in a fixed order by a second kernel. Deterministic;
// the only rounding of note is the final double -> float.
// inner == 1 (reducing the last dimension): one block per row, float4 loads, double partials, tree reduce.
#include "kforge_abi.h"

namespace {

constexpr int kColThreadsY = 8;  // warps per column block
constexpr int kRowThreads = 256;
constexpr unsigned kFull = 0xffffffffu;

template <int VW>
struct Vec;
template <>
struct Vec<1> {
    static __device__ __forceinline__ void load(const float* p, float (&v)[1]) { v[0] = __ldg(p); }
};
template <>
struct Vec<4> {
    static __device__ __forceinline__ void load(const float* p, float (&v)[4]) {
        const float4 t = __ldg(reinterpret_cast<const float4*>(p));
        v[0] = t.x; v[1] = t.y; v[2] = t.z; v[3] = t.w;
    }
};

// grid.x = outer * colgroups, grid.y = number of R slices; block (32, kColThreadsY).
// Writes float results straight to `out` when gridDim.y == 1, else double partials to partial[slice][o*inner+c].
template <int VW>
__global__ void __launch_bounds__(32 * kColThreadsY) sum_columns(const float* __restrict__ x, float* __restrict__ out,
                                                                 double* __restrict__ partial, int64_t R,
                                                                 int64_t inner, int64_t colgroups,
                                                                 int64_t rows_per_slice, int64_t outer) {
    __shared__ double red[kColThreadsY][32 * VW];
    const int64_t ob = blockIdx.x / colgroups;
    const int64_t cg = blockIdx.x % colgroups;
    const int64_t col = (cg * 32 + threadIdx.x) * VW;
    const bool active = col < inner;  // VW == 4 only when inner % 4 == 0, so col + 3 < inner too
    const int64_t r0 = (int64_t)blockIdx.y * rows_per_slice;
    const int64_t r1 = (r0 + rows_per_slice < R) ? r0 + rows_per_slice : R;

    double acc[VW];
#pragma unroll
    for (int j = 0; j < VW; ++j) acc[j] = 0.0;
    if (active) {
        const float* base = x + ob * R * inner + col;
        int64_t r = r0 + threadIdx.y;
        constexpr int Y = kColThreadsY;
        for (; r + 3 * Y < r1; r += 4 * Y) {
            float a[VW], b[VW], c[VW], d[VW];
            Vec<VW>::load(base + r * inner, a);
            Vec<VW>::load(base + (r + Y) * inner, b);
            Vec<VW>::load(base + (r + 2 * Y) * inner, c);
            Vec<VW>::load(base + (r + 3 * Y) * inner, d);
#pragma unroll
            for (int j = 0; j < VW; ++j) acc[j] += ((double)a[j] + (double)b[j]) + ((double)c[j] + (double)d[j]);
        }
        for (; r < r1; r += Y) {
            float a[VW];
            Vec<VW>::load(base + r * inner, a);
#pragma unroll
            for (int j = 0; j < VW; ++j) acc[j] += (double)a[j];
        }
    }
#pragma unroll
    for (int j = 0; j < VW; ++j) red[threadIdx.y][threadIdx.x * VW + j] = acc[j];
    __syncthreads();
    if (threadIdx.y == 0 && active) {
#pragma unroll
        for (int j = 0; j < VW; ++j) {
            double t = 0.0;
#pragma unroll
            for (int y = 0; y < kColThreadsY; ++y) t += red[y][threadIdx.x * VW + j];
            const int64_t o = ob * inner + col + j;
            if (gridDim.y == 1)
                out[o] = (float)t;
            else
                partial[(int64_t)blockIdx.y * outer * inner + o] = t;
        }
    }
}

__global__ void sum_slices(const double* __restrict__ partial, float* __restrict__ out, int64_t m, int slices) {
    const int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= m) return;
    double t = 0.0;
    for (int s = 0; s < slices; ++s) t += partial[(int64_t)s * m + i];
    out[i] = (float)t;
}

__device__ __forceinline__ double warp_sum(double v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
    return v;
}

// inner == 1: one block per row of length R.
template <bool kVec>
__global__ void __launch_bounds__(kRowThreads) sum_rows(const float* __restrict__ x, float* __restrict__ out,
                                                        int64_t R) {
    __shared__ double s_red[kRowThreads / 32];
    const float* xr = x + (int64_t)blockIdx.x * R;
    double acc = 0.0;
    if (kVec) {
        const float4* x4 = reinterpret_cast<const float4*>(xr);
        const int64_t r4 = R / 4;
        for (int64_t i = threadIdx.x; i < r4; i += kRowThreads) {
            const float4 t = __ldg(x4 + i);
            acc += ((double)t.x + (double)t.y) + ((double)t.z + (double)t.w);
        }
    } else {
        for (int64_t i = threadIdx.x; i < R; i += kRowThreads) acc += (double)__ldg(xr + i);
    }
    acc = warp_sum(acc);
    if ((threadIdx.x & 31) == 0) s_red[threadIdx.x >> 5] = acc;
    __syncthreads();
    if (threadIdx.x < 32) {
        double t = threadIdx.x < kRowThreads / 32 ? s_red[threadIdx.x] : 0.0;
        t = warp_sum(t);
        if (threadIdx.x == 0) out[blockIdx.x] = (float)t;
    }
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    constexpr int kDim = 1;  // the problem reduces dimension 1
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    kf_tensor* y = &outputs[0];
    if (x->dtype != KF_FLOAT32 || y->dtype != KF_FLOAT32) return 1001;
    if (x->ndim < kDim + 1 || y->ndim != x->ndim - 1) return 1001;
    for (int i = 0, j = 0; i < x->ndim; ++i) {
        if (i == kDim) continue;
        if (y->shape[j++] != x->shape[i]) return 1001;
    }
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < kDim; ++i) outer *= x->shape[i];
    for (int i = kDim + 1; i < x->ndim; ++i) inner *= x->shape[i];
    const int64_t R = x->shape[kDim];
    const int64_t m = outer * inner;
    if (m == 0) return 0;
    float* out = static_cast<float*>(y->data);
    if (R == 0) return (int)cudaMemsetAsync(out, 0, (size_t)m * sizeof(float), stream);  // empty sum is 0
    const float* xp = static_cast<const float*>(x->data);
    const bool aligned = (reinterpret_cast<uintptr_t>(xp) % 16) == 0;

    if (inner == 1) {
        if (outer > 0x7fffffffLL) return 1002;
        if (aligned && R % 4 == 0)
            sum_rows<true><<<(unsigned)outer, kRowThreads, 0, stream>>>(xp, out, R);
        else
            sum_rows<false><<<(unsigned)outer, kRowThreads, 0, stream>>>(xp, out, R);
        return (int)cudaGetLastError();
    }

    const int vw = (aligned && inner % 4 == 0) ? 4 : 1;
    const int64_t colgroups = (inner + 32 * vw - 1) / (32 * vw);
    const int64_t base_blocks = outer * colgroups;
    if (base_blocks > 0x7fffffffLL) return 1002;

    int device = ctx ? ctx->device : 0, sms = 132;
    if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess || sms <= 0) sms = 132;
    int64_t slices = (4LL * sms + base_blocks - 1) / base_blocks;       // about 4 blocks per SM
    const int64_t max_slices = (R + 4 * kColThreadsY - 1) / (4 * kColThreadsY);  // >= 32 rows per slice
    if (slices > max_slices) slices = max_slices;
    if (slices > 65535) slices = 65535;
    if (slices < 1) slices = 1;
    const int64_t rows_per_slice = (R + slices - 1) / slices;
    slices = (R + rows_per_slice - 1) / rows_per_slice;

    double* partial = nullptr;
    if (slices > 1) {
        partial = ctx && ctx->workspace
                      ? static_cast<double*>(ctx->workspace(ctx, (size_t)slices * (size_t)m * sizeof(double)))
                      : nullptr;
        if (!partial) slices = 1;  // no workspace: one slice, straight to the output
    }
    const int64_t rps = slices == 1 ? R : rows_per_slice;
    const dim3 grid((unsigned)base_blocks, (unsigned)slices);
    const dim3 block(32, kColThreadsY);
    if (vw == 4)
        sum_columns<4><<<grid, block, 0, stream>>>(xp, out, partial, R, inner, colgroups, rps, outer);
    else
        sum_columns<1><<<grid, block, 0, stream>>>(xp, out, partial, R, inner, colgroups, rps, outer);
    if (slices > 1) {
        const int threads = 256;
        sum_slices<<<(unsigned)((m + threads - 1) / threads), threads, 0, stream>>>(partial, out, m, (int)slices);
    }
    return (int)cudaGetLastError();
}
