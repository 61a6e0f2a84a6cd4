using KernelForge.Translation.Cuda;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Cuda;

public sealed class ExpressionWriterTests
{
    [Fact]
    public void Write_EqualSubtrees_ComputedOnce()
    {
        var sigmoid = new UnaryExpression(UnaryOpKind.Sigmoid, new LoadExpression("x"));

        var (statements, result) = ExpressionWriter.Write(new BinaryExpression(BinaryOpKind.Mul, sigmoid, sigmoid), _ => "a0");

        Assert.Equal(["const float t0 = 1.0f / (1.0f + expf(-a0));", "const float t1 = t0 * t0;"], statements);
        Assert.Equal("t1", result);
    }

    [Theory]
    [InlineData(2.0, "a0 * a0")]
    [InlineData(0.5, "sqrtf(a0)")]
    [InlineData(1.7, "powf(a0, 1.7f)")]
    public void Write_PowByConstant_AtenSpecialCases(double exponent, string expected)
    {
        var (statements, _) = ExpressionWriter.Write(new BinaryExpression(BinaryOpKind.Pow, new LoadExpression("x"), new ConstantExpression(exponent)), _ => "a0");

        Assert.Equal($"const float t0 = {expected};", Assert.Single(statements));
    }

    [Fact]
    public void Write_Gelu_ErffWithSqrtHalf()
    {
        var (statements, _) = ExpressionWriter.Write(new UnaryExpression(UnaryOpKind.Gelu, new LoadExpression("x")), _ => "a0");

        Assert.Equal("const float t0 = a0 * 0.5f * (1.0f + erff(a0 * 0.70710677f));", Assert.Single(statements));
    }

    [Theory]
    [InlineData(BinaryOpKind.Remainder, "kf_remainder(a0, -0.7f)")]
    [InlineData(BinaryOpKind.Fmod, "fmodf(a0, -0.7f)")]
    public void Write_RemainderAndFmod_FromFmodf(BinaryOpKind kind, string expected)
    {
        var (statements, _) = ExpressionWriter.Write(new BinaryExpression(kind, new LoadExpression("x"), new ConstantExpression(-0.7)), _ => "a0");

        Assert.Equal($"const float t0 = {expected};", Assert.Single(statements));
    }
}
