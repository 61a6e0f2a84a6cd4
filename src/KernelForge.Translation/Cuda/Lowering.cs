namespace KernelForge.Translation.Cuda;

/// <summary>Who computes a kernel's work: our own generated CUDA, or a vendor library call (cuBLAS, cuDNN) where the policy allows one.</summary>
/// <remarks>
/// A schedule knob of the kinds that have a library lowering (<see cref="KernelKind.Matmul"/>: cuBLAS;
/// <see cref="KernelKind.Convolution"/>: cuDNN): under
/// <c>allow-libraries</c> the translator defaults to <see cref="Library"/> and a tuner may try both; under
/// <c>pure-cuda</c> the space holds <see cref="OwnKernel"/> alone, so no library call is ever emitted.
/// </remarks>
public enum Lowering
{
    /// <summary>The translator's own kernel, shaped by the schedule's block size, vector width and items.</summary>
    OwnKernel,

    /// <summary>
    /// A library call (cuBLAS for matrix products, cuDNN for convolutions) through the ABI's <c>ctx->cublas</c> or
    /// <c>ctx->cudnn</c>, with any fused epilogue in one kernel of our own after it; the own kernel, shaped by the schedule's
    /// other knobs, runs when the handle is NULL.
    /// </summary>
    Library,
}
