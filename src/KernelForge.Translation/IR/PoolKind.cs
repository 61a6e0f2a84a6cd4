namespace KernelForge.Translation.IR;

/// <summary>What a <see cref="PoolOp"/> or an <see cref="AdaptivePoolOp"/> takes of each window.</summary>
public enum PoolKind
{
    /// <summary>The largest value, NaN if any is NaN (max_pool*d, adaptive_max_pool*d); padding never wins.</summary>
    Max,

    /// <summary>The mean, over the window clipped to the input plus padding or to the input alone (<c>count_include_pad</c>), or over a fixed divisor; an adaptive window has no padding.</summary>
    Average,
}
