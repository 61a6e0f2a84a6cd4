using System.Collections.Immutable;

namespace KernelForge.Translation.Cuda;

/// <summary>The declared values each knob of a <see cref="KernelKind"/> may take, and the default the emitter uses.</summary>
/// <remarks>
/// Defaults follow the hand-written kernels in <c>examples/</c> (relu: 256 × 4 float4; softmax: 512 threads, ≤ 8 float4 a thread).
/// The static spaces (<see cref="For(KernelKind)"/>) are own kernels only, what <c>pure-cuda</c> allows;
/// <see cref="For(KernelKind, bool)"/> with libraries allowed adds the <see cref="Lowering.Library"/> knob to the kinds
/// that have one (<see cref="KernelKind.Matmul"/>: cuBLAS; <see cref="KernelKind.Convolution"/>: cuDNN) and makes it their default.
/// </remarks>
public sealed record ScheduleSpace(
    KernelKind Kind,
    ImmutableArray<int> BlockSizes,
    ImmutableArray<int> VectorWidths,
    ImmutableArray<int> ItemsPerThread,
    Schedule Default)
{
    private static readonly ImmutableArray<int> CommonBlockSizes = [128, 256, 512, 1024];

    /// <summary>Own kernel, library call, or both (the library first when it is there); own kernel alone unless set.</summary>
    public ImmutableArray<Lowering> Lowerings { get; init; } = [Lowering.OwnKernel];

    /// <summary>How own kernels may multiply: fp32 FMA alone unless set (convolutions add TF32 tensor cores; <see cref="MathMode"/> says why only they).</summary>
    public ImmutableArray<MathMode> MathModes { get; init; } = [MathMode.Fp32Fma];

    public static ScheduleSpace Pointwise { get; } = new(KernelKind.Pointwise, CommonBlockSizes, [1, 4], [1, 2, 4, 8], new Schedule(256, 4, 4));

    public static ScheduleSpace RowNormalization { get; } = new(KernelKind.RowNormalization, CommonBlockSizes, [1, 4], [1, 2, 4, 8, 16], new Schedule(512, 4, 8));

    public static ScheduleSpace RowReduction { get; } = new(KernelKind.RowReduction, CommonBlockSizes, [1, 4], [1, 2, 4, 8], new Schedule(256, 4, 4));

    public static ScheduleSpace ColumnReduction { get; } = new(KernelKind.ColumnReduction, [64, 128, 256, 512, 1024], [1], [1], new Schedule(256, 1, 1));

    /// <summary>
    /// Threads form a square (64 = 8 x 8, 256 = 16 x 16) and each computes an items x items micro-tile, so the output tile
    /// is sqrt(block) x items square: 32, 64 or 128. The default, 64 x 64 tiles of 4 x 4 per thread, is the classic
    /// register-blocked SGEMM shape; 8 x 8 with 256 threads (128 x 128 tiles) suits large matrices. Under
    /// <c>allow-libraries</c> (<see cref="For(KernelKind, bool)"/>) the default is a cuBLAS call instead.
    /// </summary>
    public static ScheduleSpace Matmul { get; } = new(KernelKind.Matmul, [64, 256], [1], [4, 8], new Schedule(256, 1, 4));

    /// <summary>Items: outputs each thread computes (the grid shrinks by that factor; the threads stride over the outputs, so stores stay coalesced).</summary>
    public static ScheduleSpace Pooling { get; } = new(KernelKind.Pooling, CommonBlockSizes, [1], [1, 2, 4], new Schedule(256, 1, 1));

    /// <summary>
    /// The matmul's knobs, for the implicit GEMM, plus its math: fp32 FMA (the default) or TF32 tensor cores (wmma), which
    /// strict accepts for convolutions because eager torch runs them in TF32 too (<see cref="MathMode"/>). The direct
    /// (depthwise) kernel uses the block size and one output per thread per step, always fp32 FMA.
    /// </summary>
    public static ScheduleSpace Convolution { get; } = new(KernelKind.Convolution, [64, 256], [1], [4, 8], new Schedule(256, 1, 4))
    {
        MathModes = [MathMode.Fp32Fma, MathMode.Tf32TensorCores],
    };

    /// <summary>Items: consecutive elements each thread scans in registers per chunk (row scans); column scans use the block size only.</summary>
    public static ScheduleSpace Scan { get; } = new(KernelKind.Scan, CommonBlockSizes, [1], [1, 2, 4, 8], new Schedule(256, 1, 4));

    public static IReadOnlyList<ScheduleSpace> All { get; } = [Pointwise, RowNormalization, RowReduction, ColumnReduction, Matmul, Pooling, Convolution, Scan];

    /// <summary>The own-kernel space of <paramref name="kind"/>: what the <c>pure-cuda</c> policy allows.</summary>
    public static ScheduleSpace For(KernelKind kind) => All.Single(space => space.Kind == kind);

    /// <summary>
    /// The space of <paramref name="kind"/> under a library policy: with <paramref name="allowLibraries"/>, a kind that
    /// has a library lowering (matmul: cuBLAS; convolution: cuDNN) takes it as its default and keeps its own kernels as alternatives.
    /// </summary>
    public static ScheduleSpace For(KernelKind kind, bool allowLibraries)
    {
        var own = For(kind);
        return allowLibraries && kind is KernelKind.Matmul or KernelKind.Convolution
            ? own with { Lowerings = [Lowering.Library, Lowering.OwnKernel], Default = own.Default with { Lowering = Lowering.Library } }
            : own;
    }

    /// <summary>The vendor library behind <paramref name="kind"/>'s <see cref="Lowering.Library"/> (cuBLAS, cuDNN), or null when it has none.</summary>
    public static string? LibraryOf(KernelKind kind) => kind switch
    {
        KernelKind.Matmul => "cuBLAS",
        KernelKind.Convolution => "cuDNN",
        _ => null,
    };

    public bool Contains(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return BlockSizes.Contains(schedule.BlockSize) && VectorWidths.Contains(schedule.VectorWidth) && ItemsPerThread.Contains(schedule.ItemsPerThread)
            && Lowerings.Contains(schedule.Lowering) && MathModes.Contains(schedule.Math);
    }

    /// <summary>
    /// The schedules worth evaluating, in a stable order: the library call once when the space has it (its other knobs
    /// only shape the fallback kernel, which a harness with a library handle never runs, so they are the default's),
    /// then every own-kernel schedule (block size, then vector width, then items, then math: each shape's fp32 FMA before
    /// its TF32 sibling where the kind has one).
    /// </summary>
    public IEnumerable<Schedule> Enumerate()
    {
        var library = Lowerings.Contains(Lowering.Library) ? [Default with { Lowering = Lowering.Library }] : Array.Empty<Schedule>();
        var own = from block in BlockSizes
                  from vector in VectorWidths
                  from items in ItemsPerThread
                  from math in MathModes
                  select new Schedule(block, vector, items) { Math = math };
        return Lowerings.Contains(Lowering.OwnKernel) ? library.Concat(own) : library;
    }
}
