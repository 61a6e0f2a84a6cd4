// layer_norm_pybind.cu: a pybind candidate (format pybind) for problems/level1/layer_norm.py
// (nn.LayerNorm(hidden, eps=1e-5) over the last dimension, learnable weight and bias, float32). Honest: it must pass
// the strict check.
//
// The extension runner builds it with torch.utils.cpp_extension.load (nvcc -O3, no fast math) and calls forward with
// the problem's inputs, then the model's parameters in named_parameters() order: forward(x, norm.weight, norm.bias).
// One block of 256 threads per row, three passes over the row (it stays in L1/L2 between them): mean, then the biased
// variance sum((x - mean)^2) / d (two-pass, as LayerNorm defines it), then y = (x - mean) * rstd * w + b. Every sum
// and the normalization are in double and rounded to float once at the store, so the error is about half an ulp of
// the output, below eager float32's own (which accumulates in float). Launched on the current torch stream.
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>

namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
constexpr unsigned kFull = 0xffffffffu;
constexpr double kEps = 1e-5;  // nn.LayerNorm's eps in the problem

__device__ __forceinline__ double warp_sum(double v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
    return v;
}

// Every thread gets the block's sum. The trailing barrier lets the caller reuse `scratch` for the next reduction.
__device__ double block_sum(double v, double* scratch) {
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    v = warp_sum(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = warp_sum(lane < kWarps ? scratch[lane] : 0.0);
    __syncthreads();
    return v;
}

__global__ void __launch_bounds__(kThreads) layer_norm_rows(const float* __restrict__ x, const float* __restrict__ w,
                                                           const float* __restrict__ b, float* __restrict__ y, int64_t cols) {
    __shared__ double scratch[kWarps];
    const float* row = x + static_cast<int64_t>(blockIdx.x) * cols;
    float* out = y + static_cast<int64_t>(blockIdx.x) * cols;
    const double d = static_cast<double>(cols);

    double s = 0.0;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) s += static_cast<double>(row[c]);
    const double mean = block_sum(s, scratch) / d;

    double q = 0.0;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) {
        const double t = static_cast<double>(row[c]) - mean;
        q += t * t;
    }
    const double var = block_sum(q, scratch) / d;
    const double rstd = 1.0 / sqrt(var + kEps);

    for (int64_t c = threadIdx.x; c < cols; c += kThreads) {
        const double t = (static_cast<double>(row[c]) - mean) * rstd;
        out[c] = static_cast<float>(t * static_cast<double>(w[c]) + static_cast<double>(b[c]));
    }
}

}  // namespace

torch::Tensor forward(torch::Tensor x, torch::Tensor weight, torch::Tensor bias) {
    TORCH_CHECK(x.is_cuda() && weight.is_cuda() && bias.is_cuda(), "forward: x, weight and bias must be CUDA tensors");
    TORCH_CHECK(x.scalar_type() == torch::kFloat32 && weight.scalar_type() == torch::kFloat32 && bias.scalar_type() == torch::kFloat32,
                "forward: x, weight and bias must be float32");
    TORCH_CHECK(x.dim() >= 1, "forward: x must have at least one dimension");
    const int64_t cols = x.size(-1);
    TORCH_CHECK(weight.dim() == 1 && weight.size(0) == cols && bias.dim() == 1 && bias.size(0) == cols,
                "forward: weight and bias must have shape (x.size(-1),)");
    auto input = x.contiguous();
    auto w = weight.contiguous();
    auto b = bias.contiguous();
    auto y = torch::empty_like(input);
    if (input.numel() == 0) {
        return y;
    }
    const int64_t rows = input.numel() / cols;
    TORCH_CHECK(rows <= 0x7fffffff, "forward: too many rows for one grid");
    layer_norm_rows<<<static_cast<unsigned>(rows), kThreads, 0, at::cuda::getCurrentCUDAStream()>>>(
        input.data_ptr<float>(), w.data_ptr<float>(), b.data_ptr<float>(), y.data_ptr<float>(), cols);
    C10_CUDA_KERNEL_LAUNCH_CHECK();
    return y;
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
    m.def("forward", &forward, "layer norm over the last dimension with weight and bias (CUDA)");
}
