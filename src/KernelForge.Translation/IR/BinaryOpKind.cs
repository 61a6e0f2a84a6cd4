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

    /// <summary>Python's modulo (torch.remainder): the result has the divisor's sign; see <c>ExpressionWriter</c> for ATen's formula.</summary>
    Remainder,

    /// <summary>C's <c>fmodf</c> (torch.fmod): the result has the dividend's sign.</summary>
    Fmod,

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
