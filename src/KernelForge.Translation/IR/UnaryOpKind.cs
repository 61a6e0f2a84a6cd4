namespace KernelForge.Translation.IR;

/// <summary>Elementwise functions of one tensor, each with torch's float32 CUDA numerics (see <c>ExpressionWriter</c>).</summary>
public enum UnaryOpKind
{
    /// <summary>A copy (with broadcasting: how <c>aten.expand</c> is lowered).</summary>
    Identity,
    Relu,
    Sigmoid,
    Tanh,
    Exp,
    Log,
    Sqrt,
    Rsqrt,
    Neg,
    Abs,
    Reciprocal,
    Erf,

    /// <summary>Exact GELU, <c>0.5 x (1 + erf(x / sqrt 2))</c> (<c>approximate='none'</c>).</summary>
    Gelu,

    /// <summary>GELU with the tanh approximation (<c>approximate='tanh'</c>).</summary>
    GeluTanh,
    Silu,
    Expm1,
    Log1p,
    Log2,
    Log10,
    Exp2,
    Sin,
    Cos,
    Tan,
    Atan,
    Sinh,
    Cosh,
    Erfc,
    Floor,
    Ceil,

    /// <summary>Round half to even, as torch.round.</summary>
    Round,
    Trunc,

    /// <summary>-1, 0 or 1 (0 for NaN: ATen computes <c>(0 &lt; x) - (x &lt; 0)</c>).</summary>
    Sign,

    /// <summary>Bool result: true where the operand is NaN.</summary>
    IsNan,

    /// <summary>Bool result: true where the operand is +inf or -inf.</summary>
    IsInf,

    /// <summary>Bool result: true where the operand is zero (or false).</summary>
    LogicalNot,
}
