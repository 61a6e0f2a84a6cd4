namespace KernelForge.Translation.Cuda;

/// <summary>The shapes of kernel the emitter writes; each has its own <see cref="ScheduleSpace"/>.</summary>
public enum KernelKind
{
    /// <summary>Fused elementwise: grid-stride loops, <c>float4</c> path plus scalar tail.</summary>
    Pointwise,

    /// <summary>Softmax, log-softmax, layer norm, RMS norm: one block per row, the row in registers when it fits.</summary>
    RowNormalization,

    /// <summary>Sum, mean or max over the last axis: one block per row.</summary>
    RowReduction,

    /// <summary>Sum, mean or max over an inner axis: 32 columns per block, the reduced axis split over warps.</summary>
    ColumnReduction,

    /// <summary>mm, bmm, addmm: shared-memory tiled SGEMM, a square micro-tile of outputs per thread, batch in <c>blockIdx.z</c>.</summary>
    Matmul,
}
