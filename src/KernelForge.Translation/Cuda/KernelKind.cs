namespace KernelForge.Translation.Cuda;

/// <summary>The shapes of kernel the emitter writes; each has its own <see cref="ScheduleSpace"/>.</summary>
public enum KernelKind
{
    /// <summary>Fused elementwise: grid-stride loops, <c>float4</c> path plus scalar tail.</summary>
    Pointwise,

    /// <summary>Softmax, log-softmax, layer norm, RMS norm: one block per row, the row in registers when it fits.</summary>
    RowNormalization,

    /// <summary>Reductions over the last axis (sum, mean, max, min, prod, norms, var, std, logsumexp, argmax, argmin) and softmax picks (cross entropy): one block per row.</summary>
    RowReduction,

    /// <summary>The same reductions over an inner axis: 32 columns per block, the reduced axis split over warps.</summary>
    ColumnReduction,

    /// <summary>mm, bmm, addmm: shared-memory tiled SGEMM, a square micro-tile of outputs per thread, batch in <c>blockIdx.z</c>.</summary>
    Matmul,

    /// <summary>Max and average pooling: one thread per output element, the window's loops unrolled, grid-stride over the outputs.</summary>
    Pooling,

    /// <summary>
    /// Convolutions: an implicit GEMM (output channels x output pixels, K = input channels x kernel taps) on the matmul's tiles,
    /// or, when a group has fewer than 16 output channels (depthwise), one thread per output summing its window directly.
    /// </summary>
    Convolution,

    /// <summary>cumsum, cumprod (forward or reverse): one block per row scanning in chunks, or one thread per column of an inner axis.</summary>
    Scan,
}
