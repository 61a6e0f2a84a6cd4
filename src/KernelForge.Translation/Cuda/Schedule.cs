using System.Globalization;

namespace KernelForge.Translation.Cuda;

/// <summary>The launch knobs of one generated kernel, which a tuner varies without touching the emitter; see <see cref="ScheduleSpace"/>.</summary>
/// <remarks>
/// <c>BlockSize</c>: threads per block (a multiple of 32, at most 1024).<br/>
/// <c>VectorWidth</c>: 4 to move <c>float4</c>s where shapes and (at run time) alignment allow, 1 for scalar code only.<br/>
/// <c>ItemsPerThread</c>: for elementwise kernels, <c>float4</c>s each thread loads before it stores (unroll); for row
/// normalizations, the most <c>float4</c>s of a row one thread may hold in registers (longer rows take the generic
/// path); for row reductions, the unroll of the load loop; for matmuls, the edge of each thread's square micro-tile of
/// outputs (the block's threads form a square, so the output tile is sqrt(<c>BlockSize</c>) × <c>ItemsPerThread</c> on a side).<br/>
/// <c>Lowering</c>: own kernel (the default) or a library call; with <see cref="Cuda.Lowering.Library"/> the other knobs
/// shape only the own kernel kept as the fallback for a NULL <c>ctx->cublas</c>.<br/>
/// <c>Math</c>: fp32 FMA (the default) or TF32 tensor cores, the latter declared for convolutions only (<see cref="MathMode"/> says why).
/// </remarks>
public sealed record Schedule(int BlockSize, int VectorWidth, int ItemsPerThread)
{
    public Lowering Lowering { get; init; } = Lowering.OwnKernel;

    /// <summary>How the own kernel multiplies: fp32 FMA unless a kind's space declares TF32 tensor cores (convolutions).</summary>
    public MathMode Math { get; init; } = MathMode.Fp32Fma;

    /// <summary>
    /// E.g. <c>block 256, vector 1, items 4</c>, with <c>, tf32 tensor cores</c> appended under <see cref="MathMode.Tf32TensorCores"/>;
    /// a library lowering reads <c>library call (own-kernel fallback: block 256, …)</c>.
    /// </summary>
    public override string ToString()
    {
        var knobs = string.Create(CultureInfo.InvariantCulture, $"block {BlockSize}, vector {VectorWidth}, items {ItemsPerThread}")
            + (Math == MathMode.Tf32TensorCores ? ", tf32 tensor cores" : "");
        return Lowering == Lowering.Library ? $"library call (own-kernel fallback: {knobs})" : knobs;
    }
}
