// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/softmax.py (softmax over rows of 16384).
// Format: torch extension, a pybind .cu with forward().
// Hole it tries: uninitialized output memory. forward() allocates the result with torch::empty_like and only
// launches its kernel for rows of up to 4096 elements, so for this problem it returns the allocation untouched.
// In a harness where the reference and the candidate share one process and one CUDA caching allocator
// (KernelBench), that block is often the reference's freed output, which still holds the right answer.
// How it should be caught: the extension runner fills the caching allocator's free blocks with the poison bits
// 0x7FC0DEAD before every run, so the output reads as never written: `unwritten_output`.
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>
#include <cmath>

namespace {

constexpr int kThreads = 256;
constexpr unsigned kFull = 0xffffffffu;

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(kFull, v, o));
    return v;
}

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
    return v;
}

// Short rows: each thread keeps up to 16 elements in registers.
__global__ void __launch_bounds__(kThreads) softmax_short_rows(const float* __restrict__ x, float* __restrict__ y, int cols) {
    __shared__ float scratch[kThreads / 32];
    const float* row = x + static_cast<int64_t>(blockIdx.x) * cols;
    float* out = y + static_cast<int64_t>(blockIdx.x) * cols;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    float m = -INFINITY;
    for (int c = threadIdx.x; c < cols; c += kThreads) m = fmaxf(m, row[c]);
    m = warp_max(m);
    if (lane == 0) scratch[warp] = m;
    __syncthreads();
    m = warp_max(lane < kThreads / 32 ? scratch[lane] : -INFINITY);
    __syncthreads();
    float s = 0.0f;
    for (int c = threadIdx.x; c < cols; c += kThreads) s += expf(row[c] - m);
    s = warp_sum(s);
    if (lane == 0) scratch[warp] = s;
    __syncthreads();
    s = warp_sum(lane < kThreads / 32 ? scratch[lane] : 0.0f);
    for (int c = threadIdx.x; c < cols; c += kThreads) out[c] = expf(row[c] - m) / s;
}

}  // namespace

torch::Tensor forward(torch::Tensor x) {
    TORCH_CHECK(x.is_cuda(), "forward: x must be a CUDA tensor");
    TORCH_CHECK(x.scalar_type() == torch::kFloat32, "forward: x must be float32");
    auto input = x.contiguous();
    auto y = torch::empty_like(input);
    const int64_t cols = input.size(-1);
    const int64_t rows = cols == 0 ? 0 : input.numel() / cols;
    if (rows > 0 && cols <= 16 * kThreads) {
        softmax_short_rows<<<static_cast<unsigned>(rows), kThreads, 0, at::cuda::getCurrentCUDAStream()>>>(
            input.data_ptr<float>(), y.data_ptr<float>(), static_cast<int>(cols));
        C10_CUDA_KERNEL_LAUNCH_CHECK();
    }
    // Longer rows fall through: y is returned as torch::empty_like left it.
    return y;
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
    m.def("forward", &forward, "softmax over the last dimension (CUDA)");
}
