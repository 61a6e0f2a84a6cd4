using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Convolutions and transposed convolutions, 1-d to 3-d, grouped, strided, padded, dilated: pure CUDA, fp32 FMA by default, TF32 tensor cores by schedule.</summary>
/// <remarks>
/// Two lowerings. <b>Implicit GEMM</b> (a group with 16 or more output channels): per group, C[oc, column] = sum over
/// k = (ic, tap) of W[oc, k] · X[k, column], where a column is one output pixel of one image (n folded in) and X is gathered
/// from the input on the fly (im2col without the buffer); the matmul's shared-memory tiles and register micro-tiles do the
/// rest, the group in <c>blockIdx.z</c>. Threads of a warp own consecutive pixels, so stores are coalesced. <b>Direct</b>
/// (depthwise and other groups of few output channels, where a GEMM tile would be mostly empty): one thread per output
/// walks its input channels and taps. A transposed convolution gathers too: output o reads input i = (o + p - k·d) / s
/// where that divides exactly and lies inside the input. These kernels are fp32 FMA on CUDA cores; a schedule with
/// <see cref="MathMode.Tf32TensorCores"/> takes the tensor-core implicit GEMM instead (<c>CudaEmitter.TensorCoreConvolution.cs</c>).
/// </remarks>
public sealed partial class CudaEmitter
{
    /// <summary>Below this many output channels per group, the direct kernel is used: a GEMM tile of 32 or more rows would be mostly empty.</summary>
    private const long DirectConvolutionChannels = 16;

    private void EmitConvolution(ConvolutionOp operation)
    {
        var geometry = ConvolutionGeometry.Of(operation, _values[operation.Input].Shape, _values[operation.Weight].Shape, operation.Result.Shape);
        var origin = operation.Origins.FirstOrDefault();
        if (operation.Result.Shape.ElementCount == 0 || geometry.ReductionLength == 0)
        {
            _diagnostics.Error(origin, $"{operation.Describe()} is empty ({operation.Result.Shape} outputs); empty convolutions are not supported by the built-in translator yet.");
            return;
        }

        if (geometry.Columns > int.MaxValue - 256 || geometry.ReductionLength > int.MaxValue - TileK || geometry.Groups > MaxGridBlocksYZ)
        {
            _diagnostics.Error(origin, Invariant($"{operation.Describe()} has {geometry.Columns} output pixels over the batch, {geometry.ReductionLength} terms per output and {geometry.Groups} groups; the kernels allow below 2^31 of the first two and 65535 groups."));
            return;
        }

        if (geometry.OutputChannelsPerGroup < DirectConvolutionChannels)
        {
            EmitDirectConvolution(operation, geometry);
        }
        else if (ScheduleOf(KernelKind.Convolution).Math == MathMode.Tf32TensorCores)
        {
            EmitTensorCoreConvolution(operation, geometry);
        }
        else
        {
            EmitImplicitGemmConvolution(operation, geometry);
        }
    }

    private void EmitImplicitGemmConvolution(ConvolutionOp operation, ConvolutionGeometry g)
    {
        var (schedule, side, tile, items, threads) = TiledProductSchedule(KernelKind.Convolution);
        var (columnTiles, rowTiles) = ((g.Columns + tile - 1) / tile, (g.OutputChannelsPerGroup + tile - 1) / tile);
        if (rowTiles > MaxGridBlocksYZ)
        {
            _diagnostics.Error(operation.Origins.FirstOrDefault(), Invariant($"{operation.Describe()} has {g.OutputChannelsPerGroup} output channels per group; the kernel allows {MaxGridBlocksYZ} row tiles."));
            return;
        }

        var name = NextKernelName(operation.Transposed ? "conv_transpose" : "conv");
        var hasBias = operation.Bias is not null;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Line($"// implicit GEMM per group (blockIdx.z): rows = output channels, columns = (image, output pixel), K = (input channel, tap);");
        w.Line($"// {tile} x {tile} outputs per block of {side} x {side} threads, K in slices of {TileK}; the input is gathered into shared memory as it is read.");
        var epilogue = WriteEpilogue(name, operation.Epilogue, operation.Result.Shape);
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, const float* __restrict__ wt, {(hasBias ? "const float* __restrict__ bias, " : "")}{epilogue.KernelParameters}float* __restrict__ y)");
        w.Line(Invariant($"constexpr int kM = {g.OutputChannelsPerGroup}, kN = {g.Columns}, kK = {g.ReductionLength};"));
        w.Line($"constexpr int kTile = {tile}, kTileK = {TileK}, kSide = {side}, kItems = {items};");
        w.Line("__shared__ float s_a[kTileK][kTile + 1];  // [k][output channel]");
        w.Line("__shared__ float s_b[kTileK][kTile + 1];  // [k][column]");
        w.Line("const int tx = threadIdx.x % kSide, ty = threadIdx.x / kSide;");
        w.Line("const int row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;");
        w.Line("const int group = blockIdx.z;");
        WriteTiledProductLoop(w, "int", () =>
        {
            w.Line(operation.Transposed
                ? Invariant($"// A: weight [C_in, C_out / groups, taps], read as [oc][(ic, tap)] of this group.")
                : "// A: weight [C_out, C_in / groups, taps], one row of K per output channel: consecutive threads read along it.");
            w.Directive("#pragma unroll");
            w.Open($"for (int l = 0; l < kTile * kTileK / {threads}; ++l)");
            w.Line(Invariant($"const int r = threadIdx.x / kTileK + l * ({threads} / kTileK), k = threadIdx.x % kTileK;"));
            w.Line("const int gr = row0 + r, gk = k0 + k;  // gr: the output channel in the group");
            w.Line($"s_a[k][r] = (gr < kM && gk < kK) ? __ldg(wt + {WeightOffset(operation, g)}) : 0.0f;");
            w.Close();
            w.Line("// B: the input gathered at (input channel, tap) x (image, output pixel); zero in the padding.");
            w.Directive("#pragma unroll");
            w.Open($"for (int l = 0; l < kTile * kTileK / {threads}; ++l)");
            w.Line(Invariant($"const int k = threadIdx.x / kTile + l * ({threads} / kTile), r = threadIdx.x % kTile;"));
            w.Line("const int gc = col0 + r, gk = k0 + k;");
            WriteInputGather(w, operation, g);
            w.Line("s_b[k][r] = v;");
            w.Close();
        });
        w.Directive("#pragma unroll");
        w.Open("for (int i = 0; i < kItems; ++i)");
        w.Line("const int row = row0 + ty + i * kSide;");
        w.Line("const int oc = group * kM + row;");
        w.Directive("#pragma unroll");
        w.Open("for (int j = 0; j < kItems; ++j)");
        w.Line("const int col = col0 + tx + j * kSide;");
        w.Open("if (row < kM && col < kN)");
        w.Line(Invariant($"const int n = col / {g.OutputPixels}, p = col % {g.OutputPixels};"));
        w.Line(Invariant($"const int64_t flat = ((int64_t)n * {g.OutputChannels} + oc) * {g.OutputPixels} + p;"));
        w.Line($"y[flat] = {epilogue.Apply(hasBias ? "acc[i][j] + __ldg(bias + oc)" : "acc[i][j]", "flat")};");
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        w.Line();

        var launch = WriteConvolutionLauncher(name, operation, epilogue, Invariant($"dim3({columnTiles}, {rowTiles}, {g.Groups})"), threads);
        var strategy = Invariant($"implicit GEMM ({(g.Groups > 1 ? $"{g.Groups} groups of " : "")}{g.OutputChannelsPerGroup} x {g.Columns}, K = {g.ReductionLength}): {tile} x {tile} tiles, K slices of {TileK} in shared memory with the input gathered on the fly, {items} x {items} outputs per thread, fp32 FMA{(operation.Transposed ? ", transposed taps that miss the stride read zero" : "")}{(hasBias ? ", bias added in the epilogue" : "")}{(operation.Epilogue is null ? "" : ", the following elementwise chain applied as results are stored")}");
        FinishConvolution(name, operation, g, schedule, epilogue, launch, strategy);
    }

    private void EmitDirectConvolution(ConvolutionOp operation, ConvolutionGeometry g)
    {
        var schedule = ScheduleOf(KernelKind.Convolution);
        var threads = schedule.BlockSize;
        var count = operation.Result.Shape.ElementCount;
        var blocks = Math.Min((count + threads - 1) / threads, MaxGridBlocks);
        var name = NextKernelName(operation.Transposed ? "conv_transpose_direct" : "conv_direct");
        var hasBias = operation.Bias is not null;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        var epilogue = WriteEpilogue(name, operation.Epilogue, operation.Result.Shape);
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, const float* __restrict__ wt, {(hasBias ? "const float* __restrict__ bias, " : "")}{epilogue.KernelParameters}float* __restrict__ y)");
        w.Line($"const int64_t stride = (int64_t)gridDim.x * {threads};");
        w.Open($"for (int64_t o = (int64_t)blockIdx.x * {threads} + threadIdx.x; o < {count}; o += stride)");
        w.Line(Invariant($"const int p = (int)(o % {g.OutputPixels});"));
        w.Line(Invariant($"const int oc = (int)((o / {g.OutputPixels}) % {g.OutputChannels});"));
        w.Line(Invariant($"const int64_t n = o / ((int64_t){g.OutputPixels} * {g.OutputChannels});"));
        w.Line(Invariant($"const int group = oc / {g.OutputChannelsPerGroup};"));
        WriteSplit(w, "p", "o", g.OutputExtents, modulo: false);
        w.Line("float acc = 0.0f;");
        w.Open(Invariant($"for (int ic = 0; ic < {g.InputChannelsPerGroup}; ++ic)"));
        w.Line(Invariant($"const float* xc = x + (n * {g.InputChannels} + (int64_t)group * {g.InputChannelsPerGroup} + ic) * {g.InputPixels};"));
        w.Line(operation.Transposed
            ? Invariant($"const float* wc = wt + ((int64_t)(group * {g.InputChannelsPerGroup} + ic) * {g.OutputChannelsPerGroup} + oc % {g.OutputChannelsPerGroup}) * {g.Taps};")
            : Invariant($"const float* wc = wt + ((int64_t)oc * {g.InputChannelsPerGroup} + ic) * {g.Taps};"));
        for (var d = 0; d < g.Rank; d++)
        {
            w.Directive("#pragma unroll");
            w.Open(Invariant($"for (int f{d} = 0; f{d} < {g.KernelExtents[d]}; ++f{d})"));
        }

        WriteGather(w, operation, g, baseOffset: null, "acc = fmaf(__ldg(xc + {0}), __ldg(wc + " + Offset(g.KernelExtents, prefix: "f") + "), acc);");
        for (var d = 0; d < g.Rank; d++)
        {
            w.Close();
        }

        w.Close();
        w.Line($"y[o] = {epilogue.Apply(hasBias ? "acc + __ldg(bias + oc)" : "acc", "o")};");
        w.Close();
        w.Close();
        w.Line();

        var launch = WriteConvolutionLauncher(name, operation, epilogue, CudaLiteral.Format(blocks), threads);
        var strategy = Invariant($"direct: one thread per output ({count} outputs), {g.InputChannelsPerGroup} input channel(s) x {g.Taps} taps each, fp32 FMA in (channel, tap) order ({g.OutputChannelsPerGroup} output channel(s) per group is too few for a GEMM tile{(schedule.Math == MathMode.Tf32TensorCores ? ", so the schedule's TF32 tensor cores do not apply" : "")}){(hasBias ? ", bias added last" : "")}{(operation.Epilogue is null ? "" : ", the following elementwise chain applied as results are stored")}");
        FinishConvolution(name, operation, g, schedule, epilogue, launch, strategy);
    }

    /// <summary>The host launcher of convolution kernel <paramref name="name"/> (x, weight, bias when there is one, the epilogue's loads, y) on <paramref name="grid"/>; returns the entry's launch line.</summary>
    private string WriteConvolutionLauncher(string name, ConvolutionOp operation, FusedCode epilogue, string grid, int threads)
    {
        var hasBias = operation.Bias is not null;
        var w = _kernels;
        w.Open($"void launch_{name}(const float* x, const float* wt, {(hasBias ? "const float* bias, " : "")}{epilogue.LauncherParameters}float* y, cudaStream_t stream)");
        w.Line(Invariant($"{name}<<<{grid}, {threads}, 0, stream>>>(x, wt, {(hasBias ? "bias, " : "")}{epilogue.Arguments}y);"));
        w.Close();
        w.Line();
        return LaunchLine(name, [operation.Input, operation.Weight, .. hasBias ? new[] { operation.Bias! } : [], .. epilogue.Loads, operation.Result.Name]);
    }

    /// <summary>
    /// Records convolution kernel <paramref name="name"/>: the entry launches it (<paramref name="ownLaunch"/>), or, when the
    /// schedule asks for the library, calls cuDNN and keeps the own kernel as the fallback for a NULL <c>ctx->cudnn</c>.
    /// </summary>
    private void FinishConvolution(string name, ConvolutionOp operation, ConvolutionGeometry g, Schedule schedule, FusedCode epilogue, string ownLaunch, string strategy)
    {
        if (schedule.Lowering == Lowering.Library)
        {
            strategy = EmitCudnnConvolution(operation, g, name, epilogue, ownLaunch, strategy);
        }
        else
        {
            _entryLines.Add(ownLaunch);
        }

        AddKernel(name, KernelKind.Convolution, schedule, operation, strategy);
    }

    /// <summary>The element of the weight at (output channel <c>gr</c> of the group, <c>gk</c> = (input channel, tap)) of group <c>group</c>, for an implicit GEMM's A tile.</summary>
    private static string WeightOffset(ConvolutionOp operation, ConvolutionGeometry g) => operation.Transposed
        ? Invariant($"((int64_t)group * {g.InputChannelsPerGroup} + gk / {g.Taps}) * {g.OutputChannelsPerGroup * g.Taps} + gr * {g.Taps} + gk % {g.Taps}")
        : Invariant($"((int64_t)group * kM + gr) * kK + gk");

    /// <summary>Declares <c>v</c>, the input gathered for GEMM column <c>gc</c> and K index <c>gk</c> of group <c>group</c>: zero outside the matrix and in the padding.</summary>
    private static void WriteInputGather(CudaWriter w, ConvolutionOp operation, ConvolutionGeometry g)
    {
        w.Line("float v = 0.0f;");
        w.Open("if (gc < kN && gk < kK)");
        w.Line(Invariant($"const int n = gc / {g.OutputPixels}, ic = gk / {g.Taps};"));
        WriteSplit(w, "gc", "o", g.OutputExtents, modulo: true);
        WriteSplit(w, "gk", "f", g.KernelExtents, modulo: true);
        WriteGather(w, operation, g, Invariant($"((int64_t)n * {g.InputChannels} + (int64_t)group * {g.InputChannelsPerGroup} + ic) * {g.InputPixels}"), "v = __ldg(x + {0});");
        w.Close();
    }

    /// <summary>
    /// Declares <c>{prefix}0</c>… as the coordinates of the flat index <paramref name="flat"/> in <paramref name="extents"/>
    /// (outermost first). With <paramref name="modulo"/> the flat index may run past one block of extents (an image or channel index above it).
    /// </summary>
    private static void WriteSplit(CudaWriter w, string flat, string prefix, ImmutableArray<long> extents, bool modulo)
    {
        var below = 1L;
        for (var d = extents.Length - 1; d >= 0; d--)
        {
            var quotient = below == 1 ? flat : Invariant($"({flat} / {below})");
            var wrap = d > 0 || modulo ? Invariant($" % {extents[d]}") : "";
            w.Line(Invariant($"const int {prefix}{d} = {quotient}{wrap};"));
            below *= extents[d];
        }
    }

    /// <summary>
    /// Writes the input coordinates <c>i0</c>… read by output <c>o0</c>… through tap <c>f0</c>…, and <paramref name="use"/> (with
    /// <c>{0}</c> the element offset in the input channel, plus <paramref name="baseOffset"/>) when every coordinate is inside the input.
    /// </summary>
    private static void WriteGather(CudaWriter w, ConvolutionOp operation, ConvolutionGeometry g, string? baseOffset, string use)
    {
        var conditions = new List<string>();
        for (var d = 0; d < g.Rank; d++)
        {
            var (stride, padding, dilation, extent) = (operation.Stride[d], operation.Padding[d], operation.Dilation[d], g.InputExtents[d]);
            var tap = dilation == 1 ? Invariant($"f{d}") : Invariant($"f{d} * {dilation}");
            if (!operation.Transposed)
            {
                // Forward: i = o·s - p + f·d (f: the tap).
                var start = stride == 1 ? Invariant($"o{d}") : Invariant($"o{d} * {stride}");
                w.Line(Invariant($"const int i{d} = {start}{(padding == 0 ? "" : Invariant($" - {padding}"))} + {tap};"));
                conditions.Add(Invariant($"(unsigned)i{d} < {extent}u"));
            }
            else if (stride == 1)
            {
                // Transposed, stride 1: o = i - p + f·d, so i = o + p - f·d.
                w.Line(Invariant($"const int i{d} = o{d}{(padding == 0 ? "" : Invariant($" + {padding}"))} - {tap};"));
                conditions.Add(Invariant($"(unsigned)i{d} < {extent}u"));
            }
            else
            {
                // Transposed: o = i·s - p + f·d, so i = (o + p - f·d) / s where that divides exactly.
                w.Line(Invariant($"const int t{d} = o{d}{(padding == 0 ? "" : Invariant($" + {padding}"))} - {tap};"));
                w.Line(Invariant($"const int i{d} = t{d} / {stride};"));
                conditions.Add(Invariant($"t{d} >= 0 && t{d} % {stride} == 0 && i{d} < {extent}"));
            }
        }

        var offset = Offset(g.InputExtents);
        w.Line($"if ({string.Join(" && ", conditions)}) {string.Format(System.Globalization.CultureInfo.InvariantCulture, use, baseOffset is null ? offset : $"{baseOffset} + {offset}")}");
    }

    /// <summary>The extents and counts a convolution's kernels are written with.</summary>
    private sealed record ConvolutionGeometry(
        int Rank,
        long Groups,
        long InputChannels,
        long InputChannelsPerGroup,
        long OutputChannels,
        long OutputChannelsPerGroup,
        ImmutableArray<long> InputExtents,
        ImmutableArray<long> OutputExtents,
        ImmutableArray<long> KernelExtents,
        long Images)
    {
        public long InputPixels => InputExtents.Aggregate(1L, (p, e) => p * e);

        public long OutputPixels => OutputExtents.Aggregate(1L, (p, e) => p * e);

        public long Taps => KernelExtents.Aggregate(1L, (p, e) => p * e);

        /// <summary>GEMM columns: every output pixel of every image.</summary>
        public long Columns => Images * OutputPixels;

        /// <summary>Terms summed per output: input channels of the group x taps.</summary>
        public long ReductionLength => InputChannelsPerGroup * Taps;

        public static ConvolutionGeometry Of(ConvolutionOp operation, Shape input, Shape weight, Shape output)
        {
            var rank = operation.SpatialRank;
            return new ConvolutionGeometry(rank, operation.Groups, input[1], input[1] / operation.Groups, output[1], output[1] / operation.Groups,
                input.Extents[2..], output.Extents[2..], ConvolutionOp.KernelSize(weight, rank), input[0]);
        }
    }
}
