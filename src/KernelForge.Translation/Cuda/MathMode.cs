namespace KernelForge.Translation.Cuda;

/// <summary>How a product kernel multiplies and accumulates: fp32 FMA on CUDA cores, or TF32 inputs on tensor cores with fp32 accumulation.</summary>
/// <remarks>
/// A schedule knob of <see cref="KernelKind.Convolution"/> only. PyTorch runs fp32 convolutions through cuDNN with TF32 by
/// default (<c>torch.backends.cudnn.allow_tf32</c> is True; PyTorch docs, "TensorFloat-32 (TF32) on Ampere (and later)
/// devices"), so eager's own float32 error on a convolution is already TF32-sized, and the evaluator's <c>strict</c> policy
/// (error at most 10x eager float32's against float64) accepts a TF32 convolution. Matrix products never get it: torch's
/// matmul default is full fp32 (<c>torch.backends.cuda.matmul.allow_tf32</c> is False), so a TF32 matmul would fail
/// <c>strict</c>.
/// </remarks>
public enum MathMode
{
    /// <summary>Full fp32: one <c>fmaf</c> per term on CUDA cores (the default of every kind).</summary>
    Fp32Fma,

    /// <summary>
    /// Operands rounded to TF32 (10 mantissa bits, round to nearest, ties away) as they are staged in shared memory and
    /// multiplied by <c>nvcuda::wmma</c> 16x16x8 tensor-core fragments, accumulating in fp32; needs sm_80 or newer.
    /// </summary>
    Tf32TensorCores,
}
