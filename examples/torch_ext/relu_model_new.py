"""relu_model_new.py: a KernelBench-style candidate (format model_new) for problems/level1/relu.py (y = relu(x)).

The CUDA kernel is compiled when the file is run, with torch.utils.cpp_extension.load_inline, as KernelBench's
ModelNew files do; the extension runner puts the build under its build_dir (TORCH_EXTENSIONS_DIR). Honest: it
must pass the check. A grid-stride loop over numel(x), so any shape works; float32 only, like the problem.
"""
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

CUDA_SOURCE = r"""
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>
#include <algorithm>

__global__ void relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
        const float v = x[i];
        y[i] = v > 0.0f ? v : 0.0f;
    }
}

torch::Tensor relu_forward(torch::Tensor x) {
    TORCH_CHECK(x.is_cuda(), "relu_forward: x must be a CUDA tensor");
    TORCH_CHECK(x.scalar_type() == torch::kFloat32, "relu_forward: x must be float32");
    auto input = x.contiguous();
    auto y = torch::empty_like(input);
    const int64_t n = input.numel();
    if (n == 0) {
        return y;
    }
    const int threads = 256;
    // Enough blocks to fill any current GPU several times over; the loop covers the rest.
    const int blocks = static_cast<int>(std::min<int64_t>((n + threads - 1) / threads, 1 << 16));
    relu_kernel<<<blocks, threads, 0, at::cuda::getCurrentCUDAStream()>>>(input.data_ptr<float>(), y.data_ptr<float>(), n);
    C10_CUDA_KERNEL_LAUNCH_CHECK();
    return y;
}
"""

CPP_SOURCE = "torch::Tensor relu_forward(torch::Tensor x);"

relu_extension = load_inline(
    name="kforge_example_relu",
    cpp_sources=CPP_SOURCE,
    cuda_sources=CUDA_SOURCE,
    functions=["relu_forward"],
    extra_cuda_cflags=["-O3"],
    verbose=False,
)


class ModelNew(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return relu_extension.relu_forward(x)
