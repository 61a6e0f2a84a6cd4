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
}
