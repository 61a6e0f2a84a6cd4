namespace KernelForge.Translation.IR;

/// <summary>What a <see cref="ReductionOp"/> computes over its axis.</summary>
public enum ReductionKind
{
    Sum,
    Mean,

    /// <summary>The largest value, NaN if any is NaN (torch.amax and torch.max(dim).values).</summary>
    Max,

    /// <summary>The smallest value, NaN if any is NaN (torch.amin and torch.min(dim).values).</summary>
    Min,

    /// <summary>The product (torch.prod), accumulated in float32.</summary>
    Prod,

    /// <summary>The int64 index of the largest value, the first one on ties, of the first NaN if any (torch.argmax).</summary>
    ArgMax,

    /// <summary>The int64 index of the smallest value, the first one on ties, of the first NaN if any (torch.argmin).</summary>
    ArgMin,

    /// <summary>The sum of absolute values (torch.linalg.vector_norm with ord=1).</summary>
    L1Norm,

    /// <summary>The square root of the sum of squares (torch.linalg.vector_norm with ord=2, the Frobenius norm).</summary>
    L2Norm,

    /// <summary>Sum of squared deviations from the mean over <c>max(N - correction, 0)</c> (torch.var), two passes over the data.</summary>
    Variance,

    /// <summary>The square root of <see cref="Variance"/> (torch.std).</summary>
    StandardDeviation,

    /// <summary><c>log(sum(exp(x - m))) + m</c> with <c>m</c> the max, taken as 0 when infinite (torch.logsumexp).</summary>
    LogSumExp,
}
