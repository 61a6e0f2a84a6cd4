namespace KernelForge.Translation.IR;

/// <summary>What a <see cref="ReductionOp"/> computes over its axis.</summary>
public enum ReductionKind
{
    Sum,
    Mean,

    /// <summary>The largest value, NaN if any is NaN (torch.amax and torch.max(dim).values).</summary>
    Max,
}
