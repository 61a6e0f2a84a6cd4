using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests.Cuda;

/// <summary>
/// The library lowering of convolutions: cuDNN under <c>allow-libraries</c> (the default), with the own kernel kept in
/// the file as the fallback for a NULL <c>ctx->cudnn</c>, and a finishing kernel for the bias and the fused chain.
/// </summary>
/// <remarks>Whether the calls compute the right thing is shown on a GPU (tests/gpu/cudnn/ and the suite), not here.</remarks>
public sealed class CudnnLoweringTests
{
    private static TranslationResult Translate(string graph)
    {
        var result = new Translator().Translate(TestFiles.Graph(graph));
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result;
    }

    [Fact]
    public void Translate_Conv2dWithBias_CudnnForwardThenBiasKernelWithOwnFallback()
    {
        // x [16, 64, 128, 128], weight [128, 64, 3, 3], padding 1 (Graphs/conv2d.json).
        var result = Translate("conv2d");

        var kernel = Assert.Single(result.Kernels);
        Assert.Equal((KernelKind.Convolution, Lowering.Library), (kernel.Kind, kernel.Schedule.Lowering));
        Assert.StartsWith("cuDNN cudnnConvolutionForward,", kernel.Strategy, StringComparison.Ordinal);
        Assert.Contains("static const int kIn[4] = {16, 64, 128, 128}, kInStrides[4] = {1048576, 16384, 128, 1};", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kOut[4] = {16, 128, 128, 128}, kOutStrides[4] = {2097152, 16384, 128, 1};", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kFilter[4] = {128, 64, 3, 3};", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kPadding[2] = {1, 1}, kStride[2] = {1, 1}, kDilation[2] = {1, 1};", result.Source, StringComparison.Ordinal);
        Assert.Contains("cudnnSetConvolutionGroupCount(plan.conv, 1);", result.Source, StringComparison.Ordinal);
        Assert.Contains("cudnnConvolutionForward(handle, &one, plan.in, x, plan.w, wt, plan.conv, plan.algo, workspace, plan.workspace_bytes, &zero, plan.out, y);", result.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("cudnnConvolutionBackwardData(handle", result.Source, StringComparison.Ordinal);
        // The bias of output channel (o / pixels) % channels, added in place after cuDNN.
        Assert.Contains("y[o] = y[o] + __ldg(bias + (o / 16384) % 128);", result.Source, StringComparison.Ordinal);
        Assert.Contains(
            "    if (ctx != nullptr && ctx->cudnn != nullptr && cudnnConvolutionForward != nullptr) {\n"
            + "        const int status = k0_conv_cudnn(static_cast<cudnnHandle_t>(ctx->cudnn), ctx, v_x, v_p_conv_weight, v_convolution, stream);\n"
            + "        if (status != 0) return status;\n"
            + "        launch_k0_conv_finish(v_p_conv_bias, v_convolution, stream);\n"
            + "    } else {\n"
            + "        launch_k0_conv(v_x, v_p_conv_weight, v_p_conv_bias, v_convolution, stream);\n"
            + "    }\n",
            result.Source,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Conv1d_RunsAsTwoDimensionalOfHeightOne()
    {
        // x [16, 64, 16384], weight [128, 64, 7], padding 3: cuDNN's descriptors take 4 or 5 dimensions.
        var result = Translate("conv1d");

        Assert.Contains("static const int kIn[4] = {16, 64, 1, 16384},", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kFilter[4] = {128, 64, 1, 7};", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kPadding[2] = {0, 3}, kStride[2] = {1, 1}, kDilation[2] = {1, 1};", result.Source, StringComparison.Ordinal);
        Assert.Contains("cudnnSetConvolutionNdDescriptor(plan.conv, 2, kPadding", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Conv3d_FiveDimensionalDescriptors()
    {
        var result = Translate("conv3d");

        Assert.Contains("static const int kIn[5] = {4, 16, 32, 96, 96},", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kFilter[5] = {32, 16, 3, 3, 3};", result.Source, StringComparison.Ordinal);
        Assert.Contains("cudnnSetConvolutionNdDescriptor(plan.conv, 3, kPadding", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_TransposedConvolution_BackwardDataWithTheWeightAsTheFilterAndTheOutputAsDx()
    {
        // conv_transpose2d: x [16, 128, 64, 64] (cuDNN's dy), weight [128, 64, 4, 4] (the filter of the convolution from
        // the output back to the input), stride 2, padding 1, output [16, 64, 128, 128] (dx).
        var result = Translate("conv_transpose2d");

        Assert.StartsWith("cuDNN cudnnConvolutionBackwardData,", Assert.Single(result.Kernels).Strategy, StringComparison.Ordinal);
        Assert.Contains("static const int kIn[4] = {16, 128, 64, 64},", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kOut[4] = {16, 64, 128, 128},", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kFilter[4] = {128, 64, 4, 4};", result.Source, StringComparison.Ordinal);
        Assert.Contains("kStride[2] = {2, 2}", result.Source, StringComparison.Ordinal);
        Assert.Contains("cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, plan.w, plan.in, plan.conv, plan.out, 16, &found, perf)", result.Source, StringComparison.Ordinal);
        Assert.Contains("cudnnConvolutionBackwardData(handle, &one, plan.w, wt, plan.in, x, plan.conv, plan.algo, workspace, plan.workspace_bytes, &zero, plan.out, y);", result.Source, StringComparison.Ordinal);
        Assert.Contains("ctx->cudnn != nullptr && cudnnConvolutionBackwardData != nullptr", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_GroupedConvolutionWithoutBias_GroupCountAndNoFinishKernel()
    {
        // x [16, 256, 96, 96], weight [512, 64, 3, 3], groups 4, no bias and no chain: cuDNN's output is the result.
        var result = Translate("grouped_conv2d");

        Assert.Contains("cudnnSetConvolutionGroupCount(plan.conv, 4);", result.Source, StringComparison.Ordinal);
        Assert.Contains("static const int kFilter[4] = {512, 64, 3, 3};", result.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("_finish", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Cudnn_DefaultMathSkipsFp16ConversionAndKeepsAnImmutablePlan()
    {
        var source = Translate("conv2d").Source!;

        Assert.Contains("cudnnSetConvolutionMathType(plan.conv, 0 /* CUDNN_DEFAULT_MATH */);", source, StringComparison.Ordinal);
        Assert.Contains("perf[i].mathType == 2 /* ALLOW_CONVERSION: fp16 */) continue;", source, StringComparison.Ordinal);
        Assert.Contains("static const k0_conv_cudnn_plan plan = k0_conv_cudnn_prepare(handle);", source, StringComparison.Ordinal);
        Assert.Contains("if (cudnnGetStream(handle, &bound) != 0 || bound != stream) return 1004;", source, StringComparison.Ordinal);
        // Declared weak and by the file itself: no cudnn.h, and a build without cuDNN still links.
        Assert.DoesNotContain("#include <cudnn", source, StringComparison.Ordinal);
        Assert.Contains("int cudnnConvolutionForward(cudnnHandle_t, const void* alpha,", source, StringComparison.Ordinal);
        Assert.All(source.Split('\n').Where(line => line.StartsWith("int cudnn", StringComparison.Ordinal)),
            line => Assert.EndsWith("__attribute__((weak));", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_OwnConvolutionScheduleUnderAllowLibraries_NoCudnnAndTheNoteSaysItWasAllowed()
    {
        var result = new Translator().Translate(TestFiles.Graph("conv2d"), new Dictionary<KernelKind, Schedule> { [KernelKind.Convolution] = ScheduleSpace.Convolution.Default });

        Assert.DoesNotContain("cudnn", result.Source, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("[own kernel by schedule; allow-libraries also permits cuDNN]", result.Lowerings.Single(note => note.Node == "convolution").How, StringComparison.Ordinal);
    }

    [Fact]
    public void ScheduleSpace_ConvolutionUnderAllowLibraries_LibraryFirstThenEveryOwnSchedule()
    {
        var space = ScheduleSpace.For(KernelKind.Convolution, allowLibraries: true);

        Assert.Equal(Lowering.Library, space.Default.Lowering);
        var schedules = space.Enumerate().ToList();
        Assert.Equal(Lowering.Library, schedules[0].Lowering);
        Assert.Equal(ScheduleSpace.Convolution.Enumerate(), schedules.Skip(1));
        Assert.Equal("cuDNN", ScheduleSpace.LibraryOf(KernelKind.Convolution));
    }
}
