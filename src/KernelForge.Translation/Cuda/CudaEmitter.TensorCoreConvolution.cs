using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>The implicit-GEMM convolution on TF32 tensor cores (<c>nvcuda::wmma</c> 16x16x8, fp32 accumulate), taken when the schedule's math is <see cref="MathMode.Tf32TensorCores"/>.</summary>
/// <remarks>
/// Why a convolution may use TF32 at all: PyTorch runs fp32 convolutions through cuDNN with TF32 by default
/// (<c>torch.backends.cudnn.allow_tf32</c> defaults to True; PyTorch docs, "TensorFloat-32 (TF32) on Ampere (and later)
/// devices"), so eager's own float32 error on a convolution is already TF32-sized, and the evaluator's <c>strict</c> policy
/// (error at most 10x eager float32's error against float64) accepts a TF32 convolution. The fp32 FMA kernel runs on CUDA
/// cores, several times below an H100's tensor-core throughput. Matrix products never take this path: torch's matmul
/// default is full fp32 (<c>allow_tf32 = False</c>), so <see cref="ScheduleSpace.Matmul"/> declares fp32 FMA only.
/// <para>
/// The same GEMM as the FMA kernel (rows = output channels of the group, columns = (image, output pixel), K = (input channel,
/// tap), group in <c>blockIdx.z</c>) with the same weight reads and input gather, so transposed, grouped, strided, padded and
/// dilated convolutions of any rank work alike. Knobs: the block tile is sqrt(<c>BlockSize</c>) x <c>ItemsPerThread</c> on a
/// side, as for the FMA kernel (64 threads: 32 or 64; 256 threads: 64 or 128); the block's warps form a grid of
/// <c>rows</c> x <c>columns</c> (2 x 1 for 2 warps, 4 x 2 for 8), each owning a sub-tile of 16x16 accumulator fragments
/// (at 256 threads and items 8: 8 warps of 32 x 64 = 2 x 4 fragments). Per K slice of <see cref="TensorCoreTileK"/> (shallower where <see cref="TensorCoreStagedPerThread"/> says), the
/// threads stage the weights as [row][k] and the gathered input as [k][column] in shared memory (the next slice's global loads are issued into registers before this slice's mma, so their latency hides behind the tensor cores), rounded to TF32 with
/// <c>__float_to_tf32</c> (round to nearest, ties away) and zero outside the matrix, rows padded by
/// <see cref="TensorCoreSkew"/> floats; the warps then load row-major A and B fragments and <c>mma_sync</c>. The epilogue
/// stores the accumulators back through the same shared buffer, as many tile rows per pass as fit, and the block writes
/// them with coalesced stores, adding the bias and applying the fused chain exactly as the FMA kernel does.
/// </para>
/// <para>
/// Only CPU emulation (<c>tests/emulation/include/mma.h</c>) and nvcc builds for sm_80/sm_90 check this kernel until it runs on
/// a GPU: the fragment layouts are the hardware's business (the kernel only uses load/store/mma through wmma), but bank
/// conflicts of the skewed rows and the occupancy of its 35 KB of shared memory (at 128 x 128) are unmeasured.
/// </para>
/// </remarks>
public sealed partial class CudaEmitter
{
    /// <summary>Deepest K slice staged per step: 4 wmma k-steps of 8; at a 128 x 128 tile the two slices take 35 KB of the 48 KB of static shared memory.</summary>
    private const int TensorCoreTileK = 32;

    /// <summary>
    /// Most floats of one operand a thread holds in registers for the next slice (256-thread blocks; 8 for 64-thread blocks).
    /// The slice depth halves until the staging fits: measured with ptxas 11.8 for sm_80, a 64-thread block with a 64 x 64 tile
    /// and 64 accumulators per thread spills 4 bytes with slices of 16 and none with slices of 8; 256-thread blocks with a
    /// 128 x 128 tile (16 floats per operand, slices of 32) do not spill.
    /// </summary>
    private const int TensorCoreStagedPerThread = 16;

    /// <summary>
    /// Floats added to each shared row: wmma wants the leading dimension a multiple of 4 floats (16 bytes) for tf32 and float,
    /// and a row length that is not a multiple of 32 banks spreads a fragment's rows over the banks.
    /// </summary>
    private const int TensorCoreSkew = 4;

    /// <summary>Edge of a wmma fragment's output (M = N = 16; K = 8 for tf32).</summary>
    private const int FragmentEdge = 16;

    private void EmitTensorCoreConvolution(ConvolutionOp operation, ConvolutionGeometry g)
    {
        var (schedule, _, tile, _, threads) = TiledProductSchedule(KernelKind.Convolution);
        var warps = threads / 32;
        var warpGridColumns = 1;
        while (warpGridColumns * warpGridColumns * 2 < warps)
        {
            warpGridColumns *= 2;
        }

        var warpGridRows = warps / warpGridColumns;
        var (warpRows, warpColumns) = (tile / warpGridRows, tile / warpGridColumns);
        var tileK = TensorCoreTileK;
        var staged = threads >= 256 ? TensorCoreStagedPerThread : TensorCoreStagedPerThread / 2;
        while (tileK > 8 && tile * tileK / threads > staged)
        {
            tileK /= 2;
        }

        if (warpGridRows * warpGridColumns != warps || warpRows % FragmentEdge != 0 || warpColumns % FragmentEdge != 0 || tile * tileK % threads != 0 || threads % tileK != 0)
        {
            throw new ArgumentException($"Schedule ({schedule}) for convolution kernels cannot run on tensor cores: its {warps} warps must tile the {tile} x {tile} block tile in 16 x 16 fragments (64 or 256 threads, items 4 or 8).");
        }

        var origin = operation.Origins.FirstOrDefault();
        var (columnTiles, rowTiles) = ((g.Columns + tile - 1) / tile, (g.OutputChannelsPerGroup + tile - 1) / tile);
        if (rowTiles > MaxGridBlocksYZ || g.ReductionLength > int.MaxValue - TensorCoreTileK)
        {
            _diagnostics.Error(origin, Invariant($"{operation.Describe()} has {g.OutputChannelsPerGroup} output channels per group and K = {g.ReductionLength}; the tensor-core kernel allows {MaxGridBlocksYZ} row tiles and K below 2^31 - {TensorCoreTileK}."));
            return;
        }

        // The epilogue reuses the A/B buffer for the output tile, a band of whole warp rows per pass.
        var (ldA, ldB, ldC) = (tileK + TensorCoreSkew, tile + TensorCoreSkew, tile + TensorCoreSkew);
        var bufferFloats = (tile * ldA) + (tileK * ldB);
        var bandWarps = warpGridRows;
        while (bandWarps > 1 && (warpGridRows % bandWarps != 0 || bandWarps * warpRows * ldC > bufferFloats))
        {
            bandWarps--;
        }

        var passRows = bandWarps * warpRows;
        bufferFloats = Math.Max(bufferFloats, passRows * ldC);  // a shallow slice can leave less room than one band of the output tile
        var (fragmentsM, fragmentsN) = (warpRows / FragmentEdge, warpColumns / FragmentEdge);
        _usesTensorCores = true;
        var name = NextKernelName(operation.Transposed ? "conv_transpose" : "conv");
        var hasBias = operation.Bias is not null;
        var w = _kernels;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Line($"// implicit GEMM per group (blockIdx.z) on TF32 tensor cores: rows = output channels, columns = (image, output pixel), K = (input channel, tap);");
        w.Line($"// {tile} x {tile} outputs per block of {warps} warps ({warpGridRows} x {warpGridColumns}), each {warpRows} x {warpColumns} = {fragmentsM} x {fragmentsN} wmma 16x16x8 fragments with fp32 accumulators;");
        w.Line($"// K in slices of {tileK} staged in shared memory as TF32 (round to nearest, ties away); the input is gathered as it is staged.");
        w.Line("// TF32 is what eager torch uses for fp32 convolutions (cudnn.allow_tf32 defaults to True), so strict accepts it.");
        var epilogue = WriteEpilogue(name, operation.Epilogue, operation.Result.Shape);
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ x, const float* __restrict__ wt, {(hasBias ? "const float* __restrict__ bias, " : "")}{epilogue.KernelParameters}float* __restrict__ y)");
        w.Directive("#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800");
        w.Line("__trap();  // TF32 wmma needs sm_80 or newer; the translator's kernels are built for sm_80 and sm_90");
        w.Directive("#else");
        w.Line("using namespace nvcuda;");
        w.Line(Invariant($"constexpr int kM = {g.OutputChannelsPerGroup}, kN = {g.Columns}, kK = {g.ReductionLength};"));
        w.Line($"constexpr int kTile = {tile}, kTileK = {tileK}, kLdA = kTileK + {TensorCoreSkew}, kLdB = kTile + {TensorCoreSkew}, kLdC = kTile + {TensorCoreSkew};");
        w.Line($"constexpr int kWarpRows = {warpRows}, kWarpCols = {warpColumns}, kFragsM = {fragmentsM}, kFragsN = {fragmentsN}, kPassRows = {passRows};");
        w.Line("// One buffer: the A and B slices in the main loop, then kPassRows rows of the output tile per epilogue pass.");
        w.Line(Invariant($"__shared__ __align__(32) float s_mem[{bufferFloats}];  // max(kTile * kLdA + kTileK * kLdB, kPassRows * kLdC)"));
        w.Line("float* const s_a = s_mem;                  // [output channel][k], TF32");
        w.Line("float* const s_b = s_mem + kTile * kLdA;   // [k][column], TF32");
        w.Line($"const int warp = threadIdx.x / 32;");
        w.Line($"const int wr = warp / {warpGridColumns} * kWarpRows, wc = warp % {warpGridColumns} * kWarpCols;  // the warp's sub-tile in the block tile");
        w.Line("const int row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;");
        w.Line("const int group = blockIdx.z;");
        w.Line("wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[kFragsM][kFragsN];");
        w.Directive("#pragma unroll");
        w.Open("for (int i = 0; i < kFragsM; ++i)");
        w.Directive("#pragma unroll");
        w.Line("for (int j = 0; j < kFragsN; ++j) wmma::fill_fragment(acc[i][j], 0.0f);");
        w.Close();
        w.Line("// The next K slice is read from global memory into registers while the tensor cores work on this one (software pipelining):");
        w.Line("// the loads are issued before the mma loop and only waited for when the registers are staged after it.");
        w.Line(Invariant($"constexpr int kLoads = kTile * kTileK / {threads};"));
        w.Line("float ra[kLoads], rb[kLoads];");
        WriteTensorCoreSliceLoads(w, operation, g, threads, "0");
        w.Open("for (int k0 = 0; k0 < kK; k0 += kTileK)");
        w.Directive("#pragma unroll");
        w.Open("for (int l = 0; l < kLoads; ++l)");
        w.Line(Invariant($"s_a[(threadIdx.x / kTileK + l * ({threads} / kTileK)) * kLdA + threadIdx.x % kTileK] = wmma::__float_to_tf32(ra[l]);"));
        w.Line(Invariant($"s_b[(threadIdx.x / kTile + l * ({threads} / kTile)) * kLdB + threadIdx.x % kTile] = wmma::__float_to_tf32(rb[l]);"));
        w.Close();
        w.Line("__syncthreads();");
        w.Open("if (k0 + kTileK < kK)");
        WriteTensorCoreSliceLoads(w, operation, g, threads, "k0 + kTileK");
        w.Close();
        w.Directive("#pragma unroll");
        w.Open("for (int kk = 0; kk < kTileK; kk += 8)");
        w.Line("wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> af[kFragsM];");
        w.Line("wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> bf[kFragsN];");
        w.Directive("#pragma unroll");
        w.Line("for (int i = 0; i < kFragsM; ++i) wmma::load_matrix_sync(af[i], s_a + (wr + i * 16) * kLdA + kk, kLdA);");
        w.Directive("#pragma unroll");
        w.Line("for (int j = 0; j < kFragsN; ++j) wmma::load_matrix_sync(bf[j], s_b + kk * kLdB + wc + j * 16, kLdB);");
        w.Directive("#pragma unroll");
        w.Open("for (int i = 0; i < kFragsM; ++i)");
        w.Directive("#pragma unroll");
        w.Line("for (int j = 0; j < kFragsN; ++j) wmma::mma_sync(acc[i][j], af[i], bf[j], acc[i][j]);");
        w.Close();
        w.Close();
        w.Line("__syncthreads();");
        w.Close();
        w.Line("// Epilogue: the warps of one band of kPassRows rows store their fragments, then the block writes the band, a row's columns by consecutive threads.");
        w.Directive("#pragma unroll");
        w.Open("for (int pass = 0; pass < kTile / kPassRows; ++pass)");
        w.Open("if (wr / kPassRows == pass)");
        w.Directive("#pragma unroll");
        w.Open("for (int i = 0; i < kFragsM; ++i)");
        w.Directive("#pragma unroll");
        w.Line("for (int j = 0; j < kFragsN; ++j) wmma::store_matrix_sync(s_mem + (wr % kPassRows + i * 16) * kLdC + wc + j * 16, acc[i][j], kLdC, wmma::mem_row_major);");
        w.Close();
        w.Close();
        w.Line("__syncthreads();");
        w.Open($"for (int e = threadIdx.x; e < kPassRows * kTile; e += {threads})");
        w.Line("const int row = row0 + pass * kPassRows + e / kTile, col = col0 + e % kTile;");
        w.Open("if (row < kM && col < kN)");
        w.Line("const int oc = group * kM + row;");
        w.Line(Invariant($"const int n = col / {g.OutputPixels}, p = col % {g.OutputPixels};"));
        w.Line(Invariant($"const int64_t flat = ((int64_t)n * {g.OutputChannels} + oc) * {g.OutputPixels} + p;"));
        w.Line("const float value = s_mem[(e / kTile) * kLdC + e % kTile];");
        w.Line($"y[flat] = {epilogue.Apply(hasBias ? "value + __ldg(bias + oc)" : "value", "flat")};");
        w.Close();
        w.Close();
        w.Line("__syncthreads();");
        w.Close();
        w.Directive("#endif");
        w.Close();
        w.Line();

        var launch = WriteConvolutionLauncher(name, operation, epilogue, Invariant($"dim3({columnTiles}, {rowTiles}, {g.Groups})"), threads);
        var strategy = Invariant($"implicit GEMM ({(g.Groups > 1 ? $"{g.Groups} groups of " : "")}{g.OutputChannelsPerGroup} x {g.Columns}, K = {g.ReductionLength}) on TF32 tensor cores (wmma 16x16x8), fp32 accumulate: {tile} x {tile} tiles, {warps} warps of {warpRows} x {warpColumns}, K slices of {tileK} in shared memory rounded to TF32 with the input gathered on the fly, the next slice's loads in flight during this slice's mma (TF32 as eager torch's cuDNN convolutions use by default){(operation.Transposed ? ", transposed taps that miss the stride read zero" : "")}{(hasBias ? ", bias added in the epilogue" : "")}{(operation.Epilogue is null ? "" : ", the following elementwise chain applied as results are stored")}");
        FinishConvolution(name, operation, g, schedule, epilogue, launch, strategy);
    }

    /// <summary>
    /// Reads the K slice starting at <paramref name="sliceStart"/> into registers: <c>ra</c>, the weights (consecutive threads
    /// along a row of K), and <c>rb</c>, the gathered input (consecutive threads along the columns); zero outside the matrix
    /// and in the padding. The main loop stages them in shared memory as TF32 one slice later.
    /// </summary>
    private static void WriteTensorCoreSliceLoads(CudaWriter w, ConvolutionOp operation, ConvolutionGeometry g, int threads, string sliceStart)
    {
        w.Line(operation.Transposed
            ? "// A: weight [C_in, C_out / groups, taps], read as [oc][(ic, tap)] of this group."
            : "// A: weight [C_out, C_in / groups, taps], one row of K per output channel: consecutive threads read along it.");
        w.Directive("#pragma unroll");
        w.Open("for (int l = 0; l < kLoads; ++l)");
        w.Line(Invariant($"const int r = threadIdx.x / kTileK + l * ({threads} / kTileK), k = threadIdx.x % kTileK;"));
        w.Line($"const int gr = row0 + r, gk = {sliceStart} + k;  // gr: the output channel in the group");
        w.Line($"ra[l] = (gr < kM && gk < kK) ? __ldg(wt + {WeightOffset(operation, g)}) : 0.0f;");
        w.Close();
        w.Line("// B: the input gathered at (input channel, tap) x (image, output pixel); zero in the padding.");
        w.Directive("#pragma unroll");
        w.Open("for (int l = 0; l < kLoads; ++l)");
        w.Line(Invariant($"const int k = threadIdx.x / kTile + l * ({threads} / kTile), r = threadIdx.x % kTile;"));
        w.Line($"const int gc = col0 + r, gk = {sliceStart} + k;");
        WriteInputGather(w, operation, g);
        w.Line("rb[l] = v;");
        w.Close();
    }
}
