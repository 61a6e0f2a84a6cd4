// A CPU stand-in for the few CUDA runtime pieces generated kernels use, so a generated .cu can be compiled by g++ and run on
// small inputs without a GPU: every CUDA thread of a block is an OS thread, blocks run one after another, __shared__ is a
// function-static array (one block at a time shares it), __syncthreads is a barrier, and warp shuffles exchange through a
// per-warp slot array between two barriers. It checks index arithmetic (and, under -fsanitize=address, out-of-bounds
// accesses) of the translator's output. It is NOT evidence that a kernel is right on a GPU: memory model, timing, float
// contraction and intrinsic precision differ. See tests/emulation/README.md.
#ifndef KFORGE_CUDA_EMULATION_H
#define KFORGE_CUDA_EMULATION_H

#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __restrict__ __restrict
#define __shared__ static

typedef void* cudaStream_t;
typedef int cudaError_t;
static const cudaError_t cudaSuccess = 0;

struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

struct float4 {
    float x, y, z, w;
};

inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

namespace kf_emu {

struct Warp {
    explicit Warp(std::ptrdiff_t lanes) : barrier(lanes) {}
    std::barrier<> barrier;
    uint64_t slots[32] = {};
};

struct Block {
    explicit Block(std::ptrdiff_t threads) : barrier(threads) {}
    std::barrier<> barrier;
    std::vector<std::unique_ptr<Warp>> warps;
};

inline thread_local dim3 thread_index;
inline thread_local dim3 block_index;
inline thread_local Block* current_block = nullptr;
inline dim3 grid_dim;
inline dim3 block_dim;

inline unsigned linear_thread() { return thread_index.x + block_dim.x * (thread_index.y + block_dim.y * thread_index.z); }

template <typename Kernel, typename... Args>
void launch(Kernel kernel, dim3 grid, dim3 block, Args... args) {
    grid_dim = grid;
    block_dim = block;
    const unsigned threads = block.x * block.y * block.z;
    for (unsigned bz = 0; bz < grid.z; ++bz)
        for (unsigned by = 0; by < grid.y; ++by)
            for (unsigned bx = 0; bx < grid.x; ++bx) {
                Block state(threads);
                for (unsigned w = 0; w * 32 < threads; ++w)
                    state.warps.push_back(std::make_unique<Warp>(threads - w * 32 < 32 ? threads - w * 32 : 32));
                std::vector<std::thread> workers;
                workers.reserve(threads);
                for (unsigned t = 0; t < threads; ++t)
                    workers.emplace_back([&, t] {
                        block_index = dim3(bx, by, bz);
                        thread_index = dim3(t % block.x, (t / block.x) % block.y, t / (block.x * block.y));
                        current_block = &state;
                        kernel(args...);
                    });
                for (auto& worker : workers) worker.join();
            }
}

template <typename T>
T shuffle(T value, unsigned source_lane) {
    static_assert(sizeof(T) <= sizeof(uint64_t), "shuffle of a wide type");
    Warp& warp = *current_block->warps[linear_thread() / 32];
    const unsigned lane = linear_thread() % 32;
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    warp.slots[lane] = bits;
    warp.barrier.arrive_and_wait();
    T result;
    const uint64_t got = warp.slots[source_lane % 32];
    std::memcpy(&result, &got, sizeof(T));
    warp.barrier.arrive_and_wait();
    return result;
}

}  // namespace kf_emu

#define threadIdx (kf_emu::thread_index)
#define blockIdx (kf_emu::block_index)
#define blockDim (kf_emu::block_dim)
#define gridDim (kf_emu::grid_dim)

inline void __syncthreads() { kf_emu::current_block->barrier.arrive_and_wait(); }
inline void __syncwarp(unsigned = 0xffffffffu) { kf_emu::current_block->warps[kf_emu::linear_thread() / 32]->barrier.arrive_and_wait(); }

template <typename T>
T __ldg(const T* p) { return *p; }

template <typename T>
T __shfl_xor_sync(unsigned, T value, int mask, int = 32) { return kf_emu::shuffle(value, (kf_emu::linear_thread() % 32) ^ (unsigned)mask); }

template <typename T>
T __shfl_down_sync(unsigned, T value, unsigned delta, int = 32) {
    const unsigned lane = kf_emu::linear_thread() % 32;
    const T other = kf_emu::shuffle(value, lane + delta < 32 ? lane + delta : lane);
    return other;
}

template <typename T>
T __shfl_up_sync(unsigned, T value, unsigned delta, int = 32) {
    const unsigned lane = kf_emu::linear_thread() % 32;
    return kf_emu::shuffle(value, lane >= delta ? lane - delta : lane);
}

template <typename T>
T __shfl_sync(unsigned, T value, int source, int = 32) { return kf_emu::shuffle(value, (unsigned)source); }

// CUDA's integer and float min/max overloads (device code calls them unqualified).
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline long min(long a, long b) { return a < b ? a : b; }
inline long max(long a, long b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline float min(float a, float b) { return fminf(a, b); }
inline float max(float a, float b) { return fmaxf(a, b); }

inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }

inline float __int_as_float(int bits) {
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

inline cudaError_t cudaGetLastError() { return cudaSuccess; }

#endif
