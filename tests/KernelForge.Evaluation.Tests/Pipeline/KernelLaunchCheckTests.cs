using KernelForge.Core;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Pipeline;

public sealed class KernelLaunchCheckTests
{
    private static RunnerRunResult Counted(int launches, params (string Name, int Count)[] kernels) => new(null, null, 0)
    {
        Launches = launches,
        LaunchedKernels = kernels.ToDictionary(kernel => kernel.Name, kernel => kernel.Count),
    };

    [Fact]
    public void Check_EveryCallLaunchedItsOwnKernel_PassesWithoutWarning()
    {
        var outcome = KernelLaunchCheck.Check([Counted(1, ("_Z4reluPKfPfl", 1)), Counted(1, ("_Z4reluPKfPfl", 1))], ["_Z4reluPKfPfl"]);

        Assert.Null(outcome.Rejection);
        Assert.Null(outcome.Warning);
        Assert.Contains("_Z4reluPKfPfl ×2", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OneCallLaunchedNothing_RejectsNamingTheCall()
    {
        var outcome = KernelLaunchCheck.Check([Counted(2, ("k", 2)), Counted(0)], ["k"]);

        Assert.NotNull(outcome.Rejection);
        Assert.Contains("Checked call 1 launched no kernel", outcome.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OnlyLibraryKernelsRan_PassesWithWarning()
    {
        var outcome = KernelLaunchCheck.Check([Counted(1, ("sm90_xmma_gemm_f32", 1))], ["_Z6unusedv"]);

        Assert.Null(outcome.Rejection);
        Assert.NotNull(outcome.Warning);
        Assert.Contains("sm90_xmma_gemm_f32", outcome.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AbiOwnNameMangledLaunchedDemangled_MatchesByIdentifier()
    {
        var outcome = KernelLaunchCheck.Check([Counted(1, ("relu(float const*, float*, long)", 1))], ["_Z4reluPKfPfl"]);

        Assert.Null(outcome.Warning);
    }

    [Fact]
    public void Check_ExtensionOwnKernelRan_PassesWithoutWarning()
    {
        var outcome = KernelLaunchCheck.Check(
            [Counted(2, ("void softmax_rows<256>(float const*, float*, long)", 1), ("void at::native::vectorized_elementwise_kernel<4>(int)", 1))],
            ["softmax_rows", "unused_kernel"], CandidateFormat.TorchExtension);

        Assert.Null(outcome.Rejection);
        Assert.Null(outcome.Warning);
    }

    [Fact]
    public void Check_ExtensionOnlyTorchKernelsRan_WarnsThatItCallsBackIntoTorch()
    {
        var outcome = KernelLaunchCheck.Check(
            [Counted(1, ("void at::native::vectorized_elementwise_kernel<4, at::native::(anonymous namespace)::launch_clamp_scalar(at::TensorIteratorBase&, c10::Scalar, c10::Scalar, at::native::detail::ClampLimits)::{lambda()#1}::operator()() const::{lambda()#7}::operator()() const::{lambda(float)#1}, at::detail::Array<char*, 2> >(int, at::native::(anonymous namespace)::launch_clamp_scalar(at::TensorIteratorBase&, c10::Scalar, c10::Scalar, at::native::detail::ClampLimits)::{lambda()#1}::operator()() const::{lambda()#7}::operator()() const::{lambda(float)#1}, at::detail::Array<char*, 2>)", 1))],
            ["relu_kernel"], CandidateFormat.TorchExtension);

        Assert.Null(outcome.Rejection);
        Assert.NotNull(outcome.Warning);
        Assert.StartsWith("Only torch's / other kernels ran on the checked calls (void at::native::vectorized_elementwise_kernel<4", outcome.Warning, StringComparison.Ordinal);
        Assert.Contains("none of the candidate's own (relu_kernel)", outcome.Warning, StringComparison.Ordinal);
        Assert.Contains("the candidate calls back into torch", outcome.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ExtensionWithoutKernelsOfItsOwn_IsFlaggedToo()
    {
        var outcome = KernelLaunchCheck.Check([Counted(1, ("ampere_sgemm_128x64_tn", 1))], [], CandidateFormat.TorchExtension);

        Assert.NotNull(outcome.Warning);
        Assert.Contains("defines no __global__ kernel", outcome.Warning, StringComparison.Ordinal);
        Assert.Contains("calls back into torch", outcome.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AbiLibraryOnlyWithoutOwnKernels_HasNoWarning()
    {
        var outcome = KernelLaunchCheck.Check([Counted(1, ("ampere_sgemm_128x64_tn", 1))], []);

        Assert.Null(outcome.Warning);
    }

    [Fact]
    public void Check_ExtensionCallLaunchedNothing_RejectsWithoutMentioningTheAbi()
    {
        var outcome = KernelLaunchCheck.Check([Counted(1, ("relu_kernel(float const*, float*, long)", 1)), Counted(0)], ["relu_kernel"], CandidateFormat.TorchExtension);

        Assert.NotNull(outcome.Rejection);
        Assert.StartsWith("Checked call 1 launched no kernel (counted with torch's profiler)", outcome.Rejection, StringComparison.Ordinal);
        Assert.Contains("from forward on every call", outcome.Rejection, StringComparison.Ordinal);
        Assert.DoesNotContain("kforge_entry", outcome.Rejection, StringComparison.Ordinal);
        Assert.DoesNotContain("harness stream", outcome.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AbiCallLaunchedNothing_KeepsTheAbiAdvice()
    {
        var outcome = KernelLaunchCheck.Check([Counted(0)], ["k"]);

        Assert.Contains("from kforge_entry on the harness stream", outcome.Rejection, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("void my_kernel<float, 4>(float const*, float*, int)", "my_kernel")]
    [InlineData("ns::my_kernel(float*)", "my_kernel")]
    [InlineData("void ns::inner::my_kernel<ns::Op<float> >(float*)", "my_kernel")]
    [InlineData("my_kernel(float const*, float*, long)", "my_kernel")]
    [InlineData("(anonymous namespace)::my_kernel(float*)", "my_kernel")]
    [InlineData("void at::native::(anonymous namespace)::fill_kernel<(int)4>(float*)", "fill_kernel")]
    [InlineData("void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl<at::native::FillFunctor<float> >(at::TensorIteratorBase&, at::native::FillFunctor<float> const&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl<at::native::FillFunctor<float> >(at::TensorIteratorBase&, at::native::FillFunctor<float> const&)::{lambda(int)#1})", "elementwise_kernel")]
    [InlineData("_Z9my_kernelPKfPfi", "my_kernel")]
    [InlineData("_ZN2ns9my_kernelEPf", "my_kernel")]
    [InlineData("_ZN2ns9my_kernelIfEEvPT_", "my_kernel")]
    [InlineData("_Z9my_kernelIfLi4EEvPKT_PS0_i", "my_kernel")]
    [InlineData("_ZL11relu_kernelPKfPfl", "relu_kernel")]
    [InlineData("_ZN12_GLOBAL__N_16kernelEv", "kernel")]
    [InlineData("_ZNK3Foo3barEv", "bar")]
    [InlineData("relu", "relu")]
    [InlineData("sm90_xmma_gemm_f32f32_tf32f32_f32_tn_n_tilesize128x128x32_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas", "sm90_xmma_gemm_f32f32_tf32f32_f32_tn_n_tilesize128x128x32_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas")]
    public void KernelIdentifier_LaunchedName_IsTheSourceIdentifier(string launched, string expected)
    {
        Assert.Equal(expected, KernelLaunchCheck.KernelIdentifier(launched));
    }

    [Theory]
    [InlineData("")]
    [InlineData("_Z")]
    [InlineData("_Z99tooshort")]
    [InlineData("_ZNSt6vectorIiE9push_backEi")]
    [InlineData("<<<>>>")]
    [InlineData("(float*)")]
    [InlineData("k<float")]
    public void KernelIdentifier_Unparseable_IsTheWholeName(string launched)
    {
        Assert.Equal(launched, KernelLaunchCheck.KernelIdentifier(launched));
    }

    [Fact]
    public void Check_NotCounted_NeitherPassesNorFailsAndSaysWhy()
    {
        var outcome = KernelLaunchCheck.Check([new RunnerRunResult(null, null, 0) { LaunchesNotCounted = "CUPTI (libcupti.so) was not found" }], ["k"]);

        Assert.Null(outcome.Rejection);
        Assert.Null(outcome.Warning);
        Assert.Equal("launches not counted: CUPTI (libcupti.so) was not found", outcome.Summary);
    }
}
