// softmax_pybind.cu: a pybind candidate (format pybind, as the public archive stores them) for
// problems/level1/softmax.py (torch.softmax(x, dim=-1), float32). Honest: it must pass the check.
//
// The extension runner builds it with torch.utils.cpp_extension.load (nvcc -O3) and calls forward with the
// problem's inputs, then the model's parameters in named_parameters() order; this problem has none, so forward(x).
// One block of 512 threads per row, three passes over the row: block max, block sum of exp(x - max), and
// y = exp(x - max) / sum. expf (not __expf) and a true division keep the error at torch's level.
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>
#include <cmath>

namespace {

constexpr int kThreads = 512;
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

// Every thread gets the block-wide result; scratch holds one partial per warp and is free again on return.
template <bool IsMax>
__device__ float block_reduce(float v, float* scratch) {
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    v = IsMax ? warp_max(v) : warp_sum(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    const float identity = IsMax ? -INFINITY : 0.0f;
    v = lane < kThreads / 32 ? scratch[lane] : identity;
    v = IsMax ? warp_max(v) : warp_sum(v);
    __syncthreads();
    return v;
}

__global__ void __launch_bounds__(kThreads) softmax_rows(const float* __restrict__ x, float* __restrict__ y, int64_t cols) {
    __shared__ float scratch[32];
    const float* row = x + static_cast<int64_t>(blockIdx.x) * cols;
    float* out = y + static_cast<int64_t>(blockIdx.x) * cols;
    float row_max = -INFINITY;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) row_max = fmaxf(row_max, row[c]);
    row_max = block_reduce<true>(row_max, scratch);
    float sum = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) sum += expf(row[c] - row_max);
    sum = block_reduce<false>(sum, scratch);
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) out[c] = expf(row[c] - row_max) / sum;
}

}  // namespace

torch::Tensor forward(torch::Tensor x) {
    TORCH_CHECK(x.is_cuda(), "forward: x must be a CUDA tensor");
    TORCH_CHECK(x.scalar_type() == torch::kFloat32, "forward: x must be float32");
    TORCH_CHECK(x.dim() >= 1, "forward: x must have at least one dimension");
    auto input = x.contiguous();
    auto y = torch::empty_like(input);
    const int64_t cols = input.size(-1);
    if (input.numel() == 0) {
        return y;
    }
    const int64_t rows = input.numel() / cols;
    TORCH_CHECK(rows <= 0x7fffffff, "forward: too many rows for one grid");
    softmax_rows<<<static_cast<unsigned>(rows), kThreads, 0, at::cuda::getCurrentCUDAStream()>>>(
        input.data_ptr<float>(), y.data_ptr<float>(), cols);
    C10_CUDA_KERNEL_LAUNCH_CHECK();
    return y;
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
    m.def("forward", &forward, "softmax over the last dimension (CUDA)");
}
