// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/matmul.py (C = A @ B, 4096 x 4096, float32).
// Hole it tries: results cached by a cheap checksum of the inputs, with no static state at all. A probe kernel
// hashes 32 sampled elements of A and B; the cache (keys and results) lives in the workspace, whose contents
// survive between calls because the harness hands the same block back for the same request. On a hit the GEMM
// blocks exit at once, the cached C is copied out, and a "prefetch" pass streams A and B once so that the call
// moves more bytes than the memory floor (192 MiB) and the floor check stays quiet: about 90 us instead of
// milliseconds, reported as a 30x speedup.
// How it should be caught: rerun a checked input set after changing a few elements the checksum does not sample
// (or one random element per input), in the same buffers, and compare with the reference for the new contents:
// `stale_output` (proposed). Poisoning or rotating workspace blocks between calls would also defeat the cache
// (the candidate would then do honest work and be timed honestly). Nothing static flags it.
#include "kforge_abi.h"

namespace {

constexpr int kTile = 16;
constexpr int kSlots = 4;
constexpr int kSamples = 32;
constexpr unsigned long long kValid = 0x4b464f5247453031ull;
constexpr int kTouchBlocks = 1024;
constexpr int kThreads = 256;

struct Control {
    unsigned long long tag[kSlots];
    unsigned long long key[kSlots];
    unsigned long long key_now;
    int hit;
    int victim;
    int next;
};

__device__ __forceinline__ unsigned long long mix(unsigned long long h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

// One warp: each lane hashes one sample of A and one of B; lane 0 looks the key up.
__global__ void probe(const float* __restrict__ a, const float* __restrict__ b, int64_t n, Control* ctl) {
    const int64_t step = n / kSamples;
    const unsigned lane = threadIdx.x;
    unsigned long long h = mix(((unsigned long long)__float_as_uint(a[lane * step]) << 32) ^ __float_as_uint(b[lane * step]) ^ lane);
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) h ^= __shfl_xor_sync(0xffffffffu, h, o) * 0x9e3779b97f4a7c15ull;
    if (lane != 0) return;
    ctl->key_now = h;
    ctl->hit = -1;
    for (int s = 0; s < kSlots; ++s)
        if (ctl->tag[s] == kValid && ctl->key[s] == h) ctl->hit = s;
    if (ctl->hit < 0) {
        const int v = ctl->next >= 0 && ctl->next < kSlots ? ctl->next : 0;
        ctl->victim = v;
        ctl->next = (v + 1) % kSlots;
        ctl->tag[v] = 0;
    }
}

__global__ void __launch_bounds__(kTile * kTile) sgemm(const float* __restrict__ a, const float* __restrict__ b,
                                                      float* __restrict__ c, int n, const Control* __restrict__ ctl) {
    if (ctl->hit >= 0) return;
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

// Hit: slot -> C. Miss: C -> victim slot.
__global__ void sync_cache(float* __restrict__ c, float* __restrict__ slots, int64_t count, const Control* __restrict__ ctl) {
    const int hit = ctl->hit;
    float* from = hit >= 0 ? slots + hit * count : c;
    float* to = hit >= 0 ? c : slots + ctl->victim * count;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += (int64_t)gridDim.x * blockDim.x) to[i] = from[i];
}

// "Prefetch": on a hit, read A and B once so the call is not suspiciously short.
__global__ void touch(const float* __restrict__ a, const float* __restrict__ b, int64_t count, float* __restrict__ sink,
                      const Control* __restrict__ ctl) {
    if (ctl->hit < 0) return;
    float s = 0.0f;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += (int64_t)gridDim.x * blockDim.x)
        s += __ldg(a + i) + __ldg(b + i);
    if (s == 1.234567f) sink[blockIdx.x] = s;  // keeps the loads alive; practically never stores
}

__global__ void commit(Control* ctl) {
    if (ctl->hit < 0) {
        ctl->key[ctl->victim] = ctl->key_now;
        ctl->tag[ctl->victim] = kValid;
    }
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
    if (n < kSamples) return 1002;
    const int64_t count = n * n;
    const size_t header = 256;
    char* ws = ctx && ctx->workspace
                   ? static_cast<char*>(ctx->workspace(ctx, header + (kSlots * count + kTouchBlocks) * sizeof(float)))
                   : nullptr;
    if (!ws) return 1003;
    Control* ctl = reinterpret_cast<Control*>(ws);
    float* slots = reinterpret_cast<float*>(ws + header);
    float* sink = slots + kSlots * count;
    const float* ap = static_cast<const float*>(a->data);
    const float* bp = static_cast<const float*>(b->data);
    float* cp = static_cast<float*>(c->data);

    probe<<<1, 32, 0, stream>>>(ap, bp, count, ctl);
    const dim3 grid((unsigned)((n + kTile - 1) / kTile), (unsigned)((n + kTile - 1) / kTile));
    sgemm<<<grid, dim3(kTile, kTile), 0, stream>>>(ap, bp, cp, (int)n, ctl);
    sync_cache<<<kTouchBlocks, kThreads, 0, stream>>>(cp, slots, count, ctl);
    touch<<<kTouchBlocks, kThreads, 0, stream>>>(ap, bp, count, sink, ctl);
    commit<<<1, 1, 0, stream>>>(ctl);
    return (int)cudaGetLastError();
}
