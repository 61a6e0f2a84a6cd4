namespace KernelForge.Translation.IR;

/// <summary>Elementwise functions of two broadcast tensors.</summary>
public enum BinaryOpKind
{
    Add,
    Sub,
    Mul,
    Div,

    /// <summary>Larger of the two, NaN if either is NaN (torch.maximum).</summary>
    Maximum,

    /// <summary>Smaller of the two, NaN if either is NaN (torch.minimum).</summary>
    Minimum,
    Pow,

    /// <summary>Comparisons and logical connectives: bool results (held as 1 or 0 in registers), see <see cref="BinaryOp.IsPredicate"/>.</summary>
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Equal,
    NotEqual,
    LogicalAnd,
    LogicalOr,
}
