"""gelu_model_new.py: a KernelBench-style candidate (format model_new) for problems/level1/gelu.py
(y = F.gelu(x), the exact erf form, float32).

The CUDA kernel is compiled when the file is run, with torch.utils.cpp_extension.load_inline (-O3, no fast math).
Honest: it must pass the strict check. It evaluates y = 0.5 * x * (1 + erf(x / sqrt(2))) in float with erff, the
same formula and the same operation order as torch's own CUDA GELU, so its error against float64 is eager float32's.
A grid-stride loop over numel(x), so any shape works; launched on the current torch stream.
"""
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

CUDA_SOURCE = r"""
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>
#include <algorithm>

__global__ void gelu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
        const float v = x[i];
        // 0.70710678118654752440f is 1 / sqrt(2) (M_SQRT1_2), as in torch's kernel.
        y[i] = v * 0.5f * (1.0f + erff(v * 0.70710678118654752440f));
    }
}

torch::Tensor gelu_forward(torch::Tensor x) {
    TORCH_CHECK(x.is_cuda(), "gelu_forward: x must be a CUDA tensor");
    TORCH_CHECK(x.scalar_type() == torch::kFloat32, "gelu_forward: x must be float32");
    auto input = x.contiguous();
    auto y = torch::empty_like(input);
    const int64_t n = input.numel();
    if (n == 0) {
        return y;
    }
    const int threads = 256;
    // Enough blocks to fill any current GPU several times over; the loop covers the rest.
    const int blocks = static_cast<int>(std::min<int64_t>((n + threads - 1) / threads, 1 << 16));
    gelu_kernel<<<blocks, threads, 0, at::cuda::getCurrentCUDAStream()>>>(input.data_ptr<float>(), y.data_ptr<float>(), n);
    C10_CUDA_KERNEL_LAUNCH_CHECK();
    return y;
}
"""

CPP_SOURCE = "torch::Tensor gelu_forward(torch::Tensor x);"

gelu_extension = load_inline(
    name="kforge_example_gelu",
    cpp_sources=CPP_SOURCE,
    cuda_sources=CUDA_SOURCE,
    functions=["gelu_forward"],
    extra_cuda_cflags=["-O3"],
    verbose=False,
)


class ModelNew(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return gelu_extension.gelu_forward(x)
