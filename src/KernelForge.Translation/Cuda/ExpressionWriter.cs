using KernelForge.Translation.IR;

namespace KernelForge.Translation.Cuda;

/// <summary>Turns a <see cref="PointwiseExpression"/> into float32 statements with torch's CUDA numerics, computing equal subtrees once.</summary>
/// <remarks>
/// Numerics follow ATen's float kernels: <c>expf</c> (not <c>__expf</c>), IEEE division, sigmoid as <c>1 / (1 + exp(-x))</c>,
/// exact GELU with <c>erff</c>, pow by small constants as products (ATen's <c>pow_tensor_scalar</c> special cases),
/// remainder and fmod from <c>fmodf</c> (<c>kf_remainder</c>, <see cref="CudaEmitter"/>'s helpers, adds the divisor as ATen does).
/// </remarks>
internal sealed class ExpressionWriter(Func<string, string> leafName)
{
    private readonly Dictionary<PointwiseExpression, string> _computed = [];
    private readonly List<string> _statements = [];

    /// <summary>The statements (<c>const float tN = …;</c>) that compute <paramref name="expression"/>, and the name or literal holding it.</summary>
    public static (IReadOnlyList<string> Statements, string Result) Write(PointwiseExpression expression, Func<string, string> leafName)
    {
        var writer = new ExpressionWriter(leafName);
        var result = writer.Value(expression);
        return (writer._statements, result);
    }

    private string Value(PointwiseExpression expression)
    {
        switch (expression)
        {
            case LoadExpression load:
                return leafName(load.Value);
            case ConstantExpression constant:
                return CudaLiteral.Format((float)constant.Value);
        }

        if (_computed.TryGetValue(expression, out var name))
        {
            return name;
        }

        var text = expression switch
        {
            UnaryExpression unary => Unary(unary.Kind, Value(unary.Operand)),
            BinaryExpression binary => Binary(binary.Kind, Value(binary.Left), binary.Right),
            SelectExpression select => $"{Value(select.Condition)} != 0.0f ? {Value(select.IfTrue)} : {Value(select.IfFalse)}",
            _ => throw new ArgumentException($"Unknown expression {expression}.", nameof(expression)),
        };
        name = "t" + _statements.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _statements.Add($"const float {name} = {text};");
        _computed[expression] = name;
        return name;
    }

    private static string Unary(UnaryOpKind kind, string a) => kind switch
    {
        UnaryOpKind.Identity => a,
        UnaryOpKind.Relu => $"{a} < 0.0f ? 0.0f : {a}",  // keeps NaN, like torch
        UnaryOpKind.Sigmoid => $"1.0f / (1.0f + expf(-{a}))",
        UnaryOpKind.Tanh => $"tanhf({a})",
        UnaryOpKind.Exp => $"expf({a})",
        UnaryOpKind.Log => $"logf({a})",
        UnaryOpKind.Sqrt => $"sqrtf({a})",
        UnaryOpKind.Rsqrt => $"rsqrtf({a})",
        UnaryOpKind.Neg => $"-{a}",
        UnaryOpKind.Abs => $"fabsf({a})",
        UnaryOpKind.Reciprocal => $"1.0f / {a}",
        UnaryOpKind.Erf => $"erff({a})",
        UnaryOpKind.Gelu => $"{a} * 0.5f * (1.0f + erff({a} * {CudaLiteral.Format(0.70710678118654752440f)}))",  // M_SQRT1_2, as ATen
        UnaryOpKind.GeluTanh =>  // ATen: kBeta = sqrt(2 / pi), kKappa = 0.044715
            $"0.5f * {a} * (1.0f + tanhf({CudaLiteral.Format(0.79788456080286535588f)} * ({a} + {CudaLiteral.Format(0.044715f)} * ({a} * {a} * {a}))))",
        UnaryOpKind.Silu => $"{a} / (1.0f + expf(-{a}))",
        UnaryOpKind.Expm1 => $"expm1f({a})",
        UnaryOpKind.Log1p => $"log1pf({a})",
        UnaryOpKind.LogicalNot => $"{a} == 0.0f ? 1.0f : 0.0f",
        UnaryOpKind.Log2 => $"log2f({a})",
        UnaryOpKind.Log10 => $"log10f({a})",
        UnaryOpKind.Exp2 => $"exp2f({a})",
        UnaryOpKind.Sin => $"sinf({a})",
        UnaryOpKind.Cos => $"cosf({a})",
        UnaryOpKind.Tan => $"tanf({a})",
        UnaryOpKind.Atan => $"atanf({a})",
        UnaryOpKind.Sinh => $"sinhf({a})",
        UnaryOpKind.Cosh => $"coshf({a})",
        UnaryOpKind.Erfc => $"erfcf({a})",
        UnaryOpKind.Floor => $"floorf({a})",
        UnaryOpKind.Ceil => $"ceilf({a})",
        UnaryOpKind.Round => $"rintf({a})",
        UnaryOpKind.Trunc => $"truncf({a})",
        UnaryOpKind.Sign => $"(float)(0.0f < {a}) - (float)({a} < 0.0f)",
        UnaryOpKind.IsNan => $"{a} != {a} ? 1.0f : 0.0f",
        UnaryOpKind.IsInf => $"isinf({a}) ? 1.0f : 0.0f",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private string Binary(BinaryOpKind kind, string a, PointwiseExpression right)
    {
        if (kind == BinaryOpKind.Pow && right is ConstantExpression { Value: var exponent } && PowSpecialCase(a, exponent) is { } special)
        {
            return special;
        }

        var b = Value(right);
        return kind switch
        {
            BinaryOpKind.Add => $"{a} + {b}",
            BinaryOpKind.Sub => $"{a} - {b}",
            BinaryOpKind.Mul => $"{a} * {b}",
            BinaryOpKind.Div => $"{a} / {b}",
            BinaryOpKind.Maximum => $"kf_maximum({a}, {b})",
            BinaryOpKind.Minimum => $"kf_minimum({a}, {b})",
            BinaryOpKind.Pow => $"powf({a}, {b})",
            BinaryOpKind.Remainder => $"kf_remainder({a}, {b})",
            BinaryOpKind.Fmod => $"fmodf({a}, {b})",  // ATen's fmod_kernel_cuda: ::fmod of the two floats
            BinaryOpKind.Greater => $"{a} > {b} ? 1.0f : 0.0f",  // bools are 1 or 0 in registers; NaN compares false, as in torch
            BinaryOpKind.Less => $"{a} < {b} ? 1.0f : 0.0f",
            BinaryOpKind.GreaterEqual => $"{a} >= {b} ? 1.0f : 0.0f",
            BinaryOpKind.LessEqual => $"{a} <= {b} ? 1.0f : 0.0f",
            BinaryOpKind.Equal => $"{a} == {b} ? 1.0f : 0.0f",
            BinaryOpKind.NotEqual => $"{a} != {b} ? 1.0f : 0.0f",
            BinaryOpKind.LogicalAnd => $"({a} != 0.0f && {b} != 0.0f) ? 1.0f : 0.0f",
            BinaryOpKind.LogicalOr => $"({a} != 0.0f || {b} != 0.0f) ? 1.0f : 0.0f",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static string? PowSpecialCase(string a, double exponent) => exponent switch
    {
        2.0 => $"{a} * {a}",
        3.0 => $"{a} * {a} * {a}",
        0.5 => $"sqrtf({a})",
        -0.5 => $"rsqrtf({a})",
        -1.0 => $"1.0f / {a}",
        -2.0 => $"1.0f / ({a} * {a})",
        _ => null,
    };
}
