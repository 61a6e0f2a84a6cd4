using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests.Validation;

public sealed class KernelDeclarationsTests
{
    [Fact]
    public void Identifiers_PybindSourceWithLaunchBoundsAndTemplates_FindsEveryKernel()
    {
        const string source = """
            #include <torch/extension.h>
            constexpr int kThreads = 256;

            template <typename T, int N>
            __global__ void __launch_bounds__(kThreads, (2)) scale_rows(const T* x, T* y, int64_t cols) {}

            static __global__ __launch_bounds__(kThreads) void add_bias(float* y, const float* b) {}

            template <>
            __global__ void scale_rows<float, 4>(const float* x, float* y, int64_t cols);

            extern "C" __global__ void
            plain_kernel(float* y)
            {
            }

            __device__ float helper(float v) { return v; }
            __host__ __device__ void not_a_kernel(float* y) {}

            torch::Tensor forward(torch::Tensor x) {
                add_bias<<<1, kThreads, 0, at::cuda::getCurrentCUDAStream()>>>(nullptr, nullptr);
                return x;
            }

            PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) { m.def("forward", &forward); }
            """;

        var names = KernelDeclarations.Identifiers(source);

        Assert.Equal(["scale_rows", "add_bias", "plain_kernel"], names);
    }

    [Fact]
    public void Identifiers_ModelNewWithInlineCudaString_FindsTheKernelInTheString()
    {
        const string source = """"
            import torch
            import torch.nn as nn
            from torch.utils.cpp_extension import load_inline

            # __global__ void commented_out(float* y) is a comment, not a kernel
            cuda_source = """
            #include <torch/extension.h>
            __global__ void gelu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
                // __global__ void also_a_comment(float* y)
            }
            torch::Tensor gelu_forward(torch::Tensor x) {
                auto y = torch::empty_like(x);
                gelu_kernel<<<1, 256, 0, at::cuda::getCurrentCUDAStream()>>>(x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
                return y;
            }
            """

            gelu = load_inline(name="gelu", cpp_sources="torch::Tensor gelu_forward(torch::Tensor x);",
                               cuda_sources=cuda_source, functions=["gelu_forward"])


            class ModelNew(nn.Module):
                def forward(self, x):
                    return gelu.gelu_forward(x)
            """";

        var names = KernelDeclarations.Identifiers(source);

        Assert.Equal(["gelu_kernel"], names);
    }

    [Fact]
    public void Identifiers_KernelOnlyInAMacroOrAComment_FindsNone()
    {
        const string source = """
            #define DECLARE_KERNEL(name) __global__ void name(float* y)
            DECLARE_KERNEL(hidden);
            /* __global__ void in_a_comment(float* y) {} */
            """;

        Assert.Empty(KernelDeclarations.Identifiers(source));
    }

    [Theory]
    [InlineData("torch_ext/relu_model_new.py", "relu_kernel")]
    [InlineData("torch_ext/gelu_model_new.py", "gelu_kernel")]
    [InlineData("torch_ext/softmax_pybind.cu", "softmax_rows")]
    [InlineData("torch_ext/layer_norm_pybind.cu", "layer_norm_rows")]
    public void Identifiers_RepositoryExamples_FindTheirKernel(string example, string kernel)
    {
        Assert.Contains(kernel, KernelDeclarations.Identifiers(ExampleKernels.Read(example)));
    }
}
