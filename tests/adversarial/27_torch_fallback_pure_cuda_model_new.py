"""ADVERSARIAL, must be REJECTED under --library-policy PureCuda. Target problem: problems/level1/layer_norm.py.
Format: KernelBench ModelNew.

Hole it tries: torch doing the work behind a custom-kernel facade. The file builds a real (trivial) extension and
calls it, but the layer norm itself is torch.nn.functional.layer_norm, so the measured speed is ATen's, credited
to "a CUDA kernel". Under AllowLibraries this is shown as a flag with the result; under PureCuda it is not allowed.
How it should be caught: statically, before building: under PureCuda the rule py-torch-fallback rejects torch
compute in forward() (`banned_construct`).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.cpp_extension import load_inline

CUDA_SOURCE = r"""
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>

__global__ void copy_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = x[i];
}

torch::Tensor finish(torch::Tensor x) {
    auto input = x.contiguous();
    auto y = torch::empty_like(input);
    const int64_t n = input.numel();
    if (n > 0) {
        copy_kernel<<<1024, 256, 0, at::cuda::getCurrentCUDAStream()>>>(input.data_ptr<float>(), y.data_ptr<float>(), n);
        C10_CUDA_KERNEL_LAUNCH_CHECK();
    }
    return y;
}
"""

finish_extension = load_inline(
    name="kforge_adversarial_layer_norm_fallback",
    cpp_sources="torch::Tensor finish(torch::Tensor x);",
    cuda_sources=CUDA_SOURCE,
    functions=["finish"],
    extra_cuda_cflags=["-O3"],
    verbose=False,
)


class ModelNew(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.norm = nn.LayerNorm(hidden, eps=1e-5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.layer_norm(x, self.norm.normalized_shape, self.norm.weight, self.norm.bias, self.norm.eps)
        return finish_extension.finish(y)
