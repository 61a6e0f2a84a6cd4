// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/conv2d.py (3x3 conv, 64 -> 128 channels,
// (16, 64, 128, 128) input, with bias).
// Hole it tries: results cached by input pointer. A static table maps (x, weight, bias) device pointers to a slot
// of the workspace (which the harness hands out again, unchanged, on every call that asks for the same size).
// The first call on a pointer computes the convolution and saves it; every later call on that pointer copies the
// saved result. Checked calls pass (each input set is computed once, the repeat run gets the same answer), and
// the timed loop, which rotates the same three input buffers, only ever copies 128 MiB. Because the output is
// twice the input, the copy moves more bytes than the problem's memory floor, so the floor check does not fire.
// How it should be caught: rerun a checked input set with new contents written into the same buffers (same
// pointers, different data) and compare with the reference for those contents; the cached output is the old one:
// `stale_output` (proposed; `wrong_result` by today's checker if such a rerun existed). The static rule
// persistent-state flags the table.
#include "kforge_abi.h"

namespace {

constexpr int kSlots = 4;
constexpr int kTile = 16;

struct CacheEntry {
    const void* x;
    const void* w;
    const void* b;
};

// Input pointers seen so far, by slot; slots of the workspace hold their results.
static CacheEntry g_seen[kSlots];
static int g_used = 0;

// One thread per output element of one (n, co) plane tile; the 3x3 window reads x through the read-only cache.
__global__ void __launch_bounds__(kTile * kTile) conv3x3(const float* __restrict__ x, const float* __restrict__ w,
                                                        const float* __restrict__ b, float* __restrict__ y, int cin,
                                                        int cout, int h, int wd) {
    const int ox = blockIdx.x * kTile + threadIdx.x;
    const int oy = blockIdx.y * kTile + threadIdx.y;
    const int n = blockIdx.z / cout;
    const int co = blockIdx.z % cout;
    if (ox >= wd || oy >= h) return;
    float acc = __ldg(b + co);
    for (int ci = 0; ci < cin; ++ci) {
        const float* xp = x + ((int64_t)n * cin + ci) * h * wd;
        const float* wp = w + ((int64_t)co * cin + ci) * 9;
#pragma unroll
        for (int ky = 0; ky < 3; ++ky) {
            const int iy = oy + ky - 1;
            if (iy < 0 || iy >= h) continue;
#pragma unroll
            for (int kx = 0; kx < 3; ++kx) {
                const int ix = ox + kx - 1;
                if (ix < 0 || ix >= wd) continue;
                acc = fmaf(__ldg(xp + (int64_t)iy * wd + ix), __ldg(wp + ky * 3 + kx), acc);
            }
        }
    }
    y[(((int64_t)n * cout + co) * h + oy) * wd + ox] = acc;
}

int find_or_claim(const void* x, const void* w, const void* b, bool* hit) {
    for (int s = 0; s < g_used; ++s) {
        if (g_seen[s].x == x && g_seen[s].w == w && g_seen[s].b == b) {
            *hit = true;
            return s;
        }
    }
    *hit = false;
    if (g_used == kSlots) return -1;
    g_seen[g_used] = CacheEntry{x, w, b};
    return g_used++;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    if (num_inputs != 3 || num_outputs != 1) return 1000;
    const kf_tensor* x = &inputs[0];
    const kf_tensor* w = &inputs[1];
    const kf_tensor* b = &inputs[2];
    kf_tensor* y = &outputs[0];
    if (x->ndim != 4 || w->ndim != 4 || b->ndim != 1 || y->ndim != 4) return 1001;
    if (w->shape[2] != 3 || w->shape[3] != 3 || w->shape[1] != x->shape[1] || b->shape[0] != w->shape[0]) return 1001;
    const int batch = (int)x->shape[0], cin = (int)x->shape[1], h = (int)x->shape[2], wd = (int)x->shape[3];
    const int cout = (int)w->shape[0];
    if (y->shape[0] != batch || y->shape[1] != cout || y->shape[2] != h || y->shape[3] != wd) return 1001;
    const size_t out_bytes = (size_t)kf_numel(y) * sizeof(float);
    if (out_bytes == 0) return 0;

    // Always the same request, so the harness hands back the same block (and its contents) every call.
    char* cache = ctx && ctx->workspace ? static_cast<char*>(ctx->workspace(ctx, kSlots * out_bytes)) : nullptr;
    bool hit = false;
    const int slot = cache ? find_or_claim(x->data, w->data, b->data, &hit) : -1;
    if (hit) return (int)cudaMemcpyAsync(y->data, cache + slot * out_bytes, out_bytes, cudaMemcpyDeviceToDevice, stream);

    const dim3 block(kTile, kTile);
    const dim3 grid((unsigned)((wd + kTile - 1) / kTile), (unsigned)((h + kTile - 1) / kTile), (unsigned)(batch * cout));
    conv3x3<<<grid, block, 0, stream>>>(static_cast<const float*>(x->data), static_cast<const float*>(w->data),
                                        static_cast<const float*>(b->data), static_cast<float*>(y->data), cin, cout, h, wd);
    if (slot >= 0) {
        const cudaError_t e = cudaMemcpyAsync(cache + slot * out_bytes, y->data, out_bytes, cudaMemcpyDeviceToDevice, stream);
        if (e != cudaSuccess) return (int)e;
    }
    return (int)cudaGetLastError();
}
