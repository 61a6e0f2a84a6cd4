using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Matrix products: one tiled SGEMM kernel per <see cref="MatmulOp"/>, pure CUDA (no tensor cores); under a library schedule, a cuBLAS call first (<c>CudaEmitter.Cublas.cs</c>).</summary>
/// <remarks>
/// Each block computes a square output tile, staging <see cref="TileK"/>-deep slices of both operands in shared memory;
/// each thread keeps an items × items micro-tile in registers and accumulates with one <c>fmaf</c> per term in float32,
/// as torch's fp32 matmul does without TF32. Every load and store is bounds-checked, so no extent needs to be a multiple
/// of the tile. A transposed operand changes only how the tile is loaded; the bias of addmm is added as the result is stored.
/// With <see cref="Lowering.Library"/> the same kernel is still written, as the fallback when <c>ctx->cublas</c> is NULL.
/// </remarks>
public sealed partial class CudaEmitter
{
    /// <summary>Depth of the K slice staged per step: 16 keeps both tiles within 17 KB of shared memory at the largest tile (128).</summary>
    private const int TileK = 16;

    /// <summary>The most blocks along <c>gridDim.y</c> and <c>gridDim.z</c> (row tiles and batch).</summary>
    private const long MaxGridBlocksYZ = 65535;

    private void EmitMatmul(MatmulOp operation)
    {
        var (schedule, side, tile, items, threads) = TiledProductSchedule(KernelKind.Matmul);
        var left = MatmulOp.Logical(_values[operation.Left].Shape, operation.TransposeLeft);
        var right = MatmulOp.Logical(_values[operation.Right].Shape, operation.TransposeRight);
        var (batch, m, k, n) = (left.Rank == 3 ? left[0] : 1, left[^2], left[^1], right[^1]);
        var (columnTiles, rowTiles) = ((n + tile - 1) / tile, (m + tile - 1) / tile);
        var origin = operation.Origins.FirstOrDefault();
        if (batch == 0 || m == 0 || n == 0)
        {
            _diagnostics.Error(origin, Invariant($"{operation.Describe()} is empty ({batch} x {m} x {n} outputs); empty matrix products are not supported by the built-in translator yet."));
            return;
        }

        // More batches than gridDim.z holds: the batch shares gridDim.x with the column tiles (block x = batch * tiles + tile).
        var foldBatch = batch > MaxGridBlocksYZ;
        if (rowTiles > MaxGridBlocksYZ || columnTiles * (foldBatch ? batch : 1) > int.MaxValue || k > int.MaxValue - TileK)
        {
            _diagnostics.Error(origin, Invariant($"{operation.Describe()} needs a grid of {columnTiles} x {rowTiles} x {batch} blocks over K = {k}; the kernel allows at most 65535 row tiles, 2^31 - 1 column tiles times batches, and K below 2^31 - 16."));
            return;
        }

        var (batchIndex, columnTile) = foldBatch
            ? (Invariant($"(blockIdx.x / {columnTiles}u)"), Invariant($"(blockIdx.x % {columnTiles}u)"))
            : ("blockIdx.z", "blockIdx.x");
        var grid = foldBatch ? Invariant($"dim3({columnTiles * batch}, {rowTiles}, 1)") : Invariant($"dim3({columnTiles}, {rowTiles}, {batch})");

        var name = NextKernelName("matmul");
        var w = _kernels;
        var hasBias = operation.Bias is not null;
        w.Line($"// {name}: {operation.Result} = {operation.Describe()}");
        w.Line($"// {tile} x {tile} outputs per block of {side} x {side} threads, K in slices of {TileK} through shared memory; thread (tx, ty)");
        w.Line($"// owns rows ty + {side} i and columns tx + {side} j (i, j < {items}): conflict-free shared reads, coalesced stores.");
        var biasParameter = hasBias ? "const float* __restrict__ bias, " : "";
        var epilogue = WriteEpilogue(name, operation.Epilogue, operation.Result.Shape);
        w.Open($"__global__ void __launch_bounds__({threads}) {name}(const float* __restrict__ a, const float* __restrict__ b, {biasParameter}{epilogue.KernelParameters}float* __restrict__ c)");
        // 32-bit offsets within one matrix when they fit: with 64-bit ones ptxas 11.8 spilled a few bytes even at 40 registers.
        var index = Math.Max(m, n) * Math.Max(k, n) <= int.MaxValue - (2L * tile * TileK) ? "int" : "int64_t";
        w.Line($"constexpr {index} kM = {m}, kN = {n}, kK = {k};");
        w.Line($"constexpr int kTile = {tile}, kTileK = {TileK}, kSide = {side}, kItems = {items};");
        w.Line("__shared__ float s_a[kTileK][kTile + 1];  // [k][row]; +1: fewer bank conflicts where a load transposes");
        w.Line("__shared__ float s_b[kTileK][kTile + 1];  // [k][column]");
        w.Line("const int tx = threadIdx.x % kSide, ty = threadIdx.x / kSide;");
        w.Line($"const {index} row0 = ({index})blockIdx.y * kTile, col0 = ({index}){columnTile} * kTile;");
        w.Line($"const float* ab = a + (int64_t){batchIndex} * (kM * kK);");
        w.Line($"const float* bb = b + (int64_t){batchIndex} * (kK * kN);");
        WriteTiledProductLoop(w, index, () =>
        {
            WriteTileLoad(w, threads, index, "s_a", "row", "ab", operation.TransposeLeft
                ? ("// A stored [K, M] (transposed): consecutive threads read consecutive rows.", Invariant($"const int k = threadIdx.x / kTile + l * ({threads} / kTile), r = threadIdx.x % kTile;"), "gk * kM + gr")
                : ("// A stored [M, K]: consecutive threads read along a row.", Invariant($"const int r = threadIdx.x / kTileK + l * ({threads} / kTileK), k = threadIdx.x % kTileK;"), "gr * kK + gk"), "row0", "kM");
            WriteTileLoad(w, threads, index, "s_b", "column", "bb", operation.TransposeRight
                ? ("// B stored [N, K] (transposed): consecutive threads read along a column.", Invariant($"const int r = threadIdx.x / kTileK + l * ({threads} / kTileK), k = threadIdx.x % kTileK;"), "gr * kK + gk")
                : ("// B stored [K, N]: consecutive threads read consecutive columns.", Invariant($"const int k = threadIdx.x / kTile + l * ({threads} / kTile), r = threadIdx.x % kTile;"), "gk * kN + gr"), "col0", "kN");
        });
        w.Line($"float* cb = c + (int64_t){batchIndex} * (kM * kN);");
        w.Directive("#pragma unroll");
        w.Open("for (int i = 0; i < kItems; ++i)");
        w.Line($"const {index} row = row0 + ty + i * kSide;");
        w.Directive("#pragma unroll");
        w.Open("for (int j = 0; j < kItems; ++j)");
        w.Line($"const {index} col = col0 + tx + j * kSide;");
        var value = hasBias ? $"acc[i][j] + __ldg(bias + {BiasIndex(_values[operation.Bias!].Shape)})" : "acc[i][j]";
        w.Line($"if (row < kM && col < kN) cb[row * kN + col] = {epilogue.Apply(value, $"(int64_t){batchIndex} * (kM * kN) + row * kN + col")};");
        w.Close();
        w.Close();
        w.Close();
        w.Line();

        w.Open($"void launch_{name}(const float* a, const float* b, {(hasBias ? "const float* bias, " : "")}{epilogue.LauncherParameters}float* c, cudaStream_t stream)");
        w.Line($"{name}<<<{grid}, {threads}, 0, stream>>>(a, b, {(hasBias ? "bias, " : "")}{epilogue.Arguments}c);");
        w.Close();
        w.Line();
        var ownLaunch = LaunchLine(name, [operation.Left, operation.Right, .. hasBias ? new[] { operation.Bias! } : [], .. epilogue.Loads, operation.Result.Name]);
        var operands = (operation.TransposeLeft, operation.TransposeRight) switch
        {
            (true, true) => ", both operands read transposed",
            (true, false) => ", A read transposed",
            (false, true) => ", B read transposed",
            _ => "",
        };
        var strategy = Invariant($"tiled SGEMM ({(batch > 1 ? $"{batch} x " : "")}{m} x {n}, K = {k}): {tile} x {tile} tiles, K slices of {TileK} in shared memory, {items} x {items} outputs per thread, fp32 FMA{operands}{(hasBias ? ", bias added in the epilogue" : "")}{(operation.Epilogue is null ? "" : ", the following elementwise chain applied as results are stored")}");
        if (schedule.Lowering == Lowering.Library)
        {
            strategy = EmitCublasMatmul(operation, name, (batch, m, k, n), epilogue, ownLaunch, strategy);
        }
        else
        {
            _entryLines.Add(ownLaunch);
        }

        AddKernel(name, KernelKind.Matmul, schedule, operation, strategy);
    }

    /// <summary>The schedule of a tiled product kernel and the tile it gives: a square of <c>side</c> x <c>side</c> threads, each owning items x items outputs.</summary>
    private (Schedule Schedule, int Side, int Tile, int Items, int Threads) TiledProductSchedule(KernelKind kind)
    {
        var schedule = ScheduleOf(kind);
        var side = (int)Math.Round(Math.Sqrt(schedule.BlockSize));
        var tileEdge = side * schedule.ItemsPerThread;
        if (side * side != schedule.BlockSize || schedule.ItemsPerThread is not (>= 1 and <= 8)
            || schedule.BlockSize % tileEdge != 0 || tileEdge * TileK % schedule.BlockSize != 0)
        {
            throw new ArgumentException($"Schedule ({schedule}) for {kind.ToString().ToLowerInvariant()} kernels cannot run: the block size must be a square (64, 256), items 1 to 8, and the tile ({tileEdge}) must divide the block size.");
        }

        return (schedule, side, tileEdge, schedule.ItemsPerThread, schedule.BlockSize);
    }

    /// <summary>
    /// The main loop of a tiled product (matmul, implicit-GEMM convolution): <c>acc[kItems][kItems]</c> zeroed, then per K slice
    /// <paramref name="writeLoads"/> fills <c>s_a[k][row]</c> and <c>s_b[k][column]</c> for slice <c>k0</c>, and each thread adds its
    /// micro-tile's products with one <c>fmaf</c> per term. The caller declares the constants, shared tiles, <c>tx</c>, <c>ty</c>.
    /// </summary>
    private static void WriteTiledProductLoop(CudaWriter w, string index, Action writeLoads)
    {
        w.Line("float acc[kItems][kItems];");
        w.Directive("#pragma unroll");
        w.Open("for (int i = 0; i < kItems; ++i)");
        w.Directive("#pragma unroll");
        w.Line("for (int j = 0; j < kItems; ++j) acc[i][j] = 0.0f;");
        w.Close();
        w.Open($"for ({index} k0 = 0; k0 < kK; k0 += kTileK)");
        writeLoads();
        w.Line("__syncthreads();");
        w.Directive("#pragma unroll");
        w.Open("for (int k = 0; k < kTileK; ++k)");
        w.Line("float af[kItems], bf[kItems];");
        w.Directive("#pragma unroll");
        w.Line("for (int i = 0; i < kItems; ++i) af[i] = s_a[k][ty + i * kSide];");
        w.Directive("#pragma unroll");
        w.Line("for (int j = 0; j < kItems; ++j) bf[j] = s_b[k][tx + j * kSide];");
        w.Directive("#pragma unroll");
        w.Open("for (int i = 0; i < kItems; ++i)");
        w.Directive("#pragma unroll");
        w.Line("for (int j = 0; j < kItems; ++j) acc[i][j] = fmaf(af[i], bf[j], acc[i][j]);");
        w.Close();
        w.Close();
        w.Line("__syncthreads();");
        w.Close();
    }

    /// <summary>One cooperative load of a <c>kTileK</c> x <c>kTile</c> operand slice into shared memory, zero outside the matrix.</summary>
    /// <remarks>The block size is a multiple of both tile edges, so each thread keeps its fast index across the unrolled steps.</remarks>
    private static void WriteTileLoad(CudaWriter w, int threads, string index, string tile, string along, string source, (string Comment, string Split, string Offset) layout, string origin, string extent)
    {
        w.Line(layout.Comment);
        w.Directive("#pragma unroll");
        w.Open($"for (int l = 0; l < kTile * kTileK / {threads}; ++l)");
        w.Line(layout.Split);
        w.Line($"const {index} gr = {origin} + r, gk = k0 + k;  // gr: the {along} in the matrix");
        w.Line($"{tile}[k][r] = (gr < {extent} && gk < kK) ? __ldg({source} + {layout.Offset}) : 0.0f;");
        w.Close();
    }

    /// <summary>The offset of the bias element added at (<c>row</c>, <c>col</c>); a bias broadcasts to [M, N] right-aligned.</summary>
    private static string BiasIndex(Shape bias)
    {
        var (rows, columns) = bias.Rank switch
        {
            0 => (1L, 1L),
            1 => (1L, bias[0]),
            _ => (bias[^2], bias[^1]),
        };
        string[] terms = [.. rows == 1 ? [] : new[] { Invariant($"row * {columns}") }, .. columns == 1 ? [] : new[] { "col" }];
        return terms.Length == 0 ? "0" : string.Join(" + ", terms);
    }
}
