using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Batch norm with batch statistics: one block per channel, three passes over the channel's N planes (mean, variance, normalize).</summary>
/// <remarks>
/// Each plane is contiguous, so every pass reads coalesced runs. Two passes for the statistics (the mean, then squared
/// deviations from it) as the layer norm does; the third writes <c>(x - mean) · (rstd · weight) + bias</c>. One block per
/// channel leaves SMs idle when there are fewer channels than SMs; splitting a channel over blocks is a later schedule.
/// </remarks>
public sealed partial class CudaEmitter
{
    private void EmitChannelNorm(ChannelNormOp operation)
    {
        var schedule = ScheduleOf(KernelKind.RowNormalization);
        var shape = operation.Result.Shape;
        var (images, channels, plane) = (shape[0], shape[1], shape.Stride(1));
        if (!CheckRows(operation, channels) || images * plane == 0)
        {
            return;
        }

        _helpers |= DeviceHelpers.BlockSum;
        var (threads, warps) = (schedule.BlockSize, schedule.BlockSize / 32);
        var name = NextKernelName("channel_norm");
        var (hasWeight, hasBias) = (operation.Weight is not null, operation.Bias is not null);
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, {(hasWeight ? "const float* __restrict__ w, " : "")}{(hasBias ? "const float* __restrict__ b, " : "")}float* __restrict__ y)");
        w.Line(Invariant($"constexpr int64_t kImages = {images}, kChannels = {channels}, kPlane = {plane};"));
        w.Line($"constexpr float kEps = {CudaLiteral.Format((float)operation.Epsilon)};");
        w.Line($"__shared__ float s_mean[{warps}];");
        w.Line($"__shared__ float s_var[{warps}];");
        w.Line("const int64_t c = blockIdx.x;");
        w.Line("float s = 0.0f;");
        WritePlaneLoop(w, threads, "s += __ldg(xp + i);", writes: false);
        w.Line(Invariant($"const float mean = block_sum<{warps}>(s, s_mean) / {CudaLiteral.Format((float)(images * plane))};"));
        w.Line("float q = 0.0f;");
        WritePlaneLoop(w, threads, "const float t = __ldg(xp + i) - mean; q += t * t;", writes: false);
        w.Line(Invariant($"const float rstd = rsqrtf(block_sum<{warps}>(q, s_var) / {CudaLiteral.Format((float)(images * plane))} + kEps);"));
        w.Line($"const float scale = {(hasWeight ? "rstd * __ldg(w + c)" : "rstd")};");
        w.Line($"const float shift = {(hasBias ? "__ldg(b + c)" : "0.0f")};");
        WritePlaneLoop(w, threads, "yp[i] = (__ldg(xp + i) - mean) * scale + shift;", writes: true);
        w.Close();
        w.Line();
        var parameters = $"const float* x, {(hasWeight ? "const float* w, " : "")}{(hasBias ? "const float* b, " : "")}float* y";
        w.Open($"void launch_{name}({parameters}, cudaStream_t stream)");
        w.Line($"{name}<<<{Rows(channels)}, {threads}, 0, stream>>>(x, {(hasWeight ? "w, " : "")}{(hasBias ? "b, " : "")}y);");
        w.Close();
        w.Line();
        AddLaunch(name, [operation.Source, .. Names(operation.Weight, operation.Bias), operation.Result.Name]);
        var strategy = Invariant($"one block per channel ({channels} channels of {images} planes of {plane}), mean then variance then normalize, block reductions through warp shuffles{(hasWeight || hasBias ? ", affine fused" : "")}");
        AddKernel(name, KernelKind.RowNormalization, schedule, operation, strategy);
    }

    /// <summary>A loop over the channel's planes and their elements running <paramref name="body"/>; <c>yp</c> is declared when it <paramref name="writes"/>.</summary>
    private static void WritePlaneLoop(CudaWriter w, int threads, string body, bool writes)
    {
        w.Open("for (int64_t n = 0; n < kImages; ++n)");
        w.Line("const float* xp = x + (n * kChannels + c) * kPlane;");
        if (writes)
        {
            w.Line("float* yp = y + (n * kChannels + c) * kPlane;");
        }

        w.Line($"for (int64_t i = threadIdx.x; i < kPlane; i += {threads}) {{ {body} }}");
        w.Close();
    }
}
