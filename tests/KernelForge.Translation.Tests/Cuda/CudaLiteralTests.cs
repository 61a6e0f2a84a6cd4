using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests.Cuda;

public sealed class CudaLiteralTests
{
    [Theory]
    [InlineData(0.5f, "0.5f")]
    [InlineData(1f, "1.0f")]
    [InlineData(-2f, "-2.0f")]
    [InlineData(0.1f, "0.1f")]
    [InlineData(1e-5f, "1E-05f")]
    [InlineData(1e-10f, "1E-10f")]
    [InlineData(16384f, "16384.0f")]
    [InlineData(3.4028235e38f, "3.4028235E+38f")]
    [InlineData(float.NaN, "__int_as_float(0x7fffffff)")]
    [InlineData(float.PositiveInfinity, "__int_as_float(0x7f800000)")]
    [InlineData(float.NegativeInfinity, "__int_as_float(0xff800000)")]
    public void Format_Float_ShortestRoundTripCudaLiteral(float value, string expected)
    {
        Assert.Equal(expected, CudaLiteral.Format(value));
    }

    [Fact]
    public void Format_UnderGermanCulture_StillUsesAPoint()
    {
        using var culture = new CultureScope("de-DE");

        Assert.Equal("0.5f", CudaLiteral.Format(0.5f));
        Assert.Equal("-1234567", CudaLiteral.Format(-1234567L));
    }

    [Fact]
    public void Format_Float_ParsesBackToTheSameFloat()
    {
        foreach (var value in new[] { 0.70710677f, 1e-6f, 123.456f, float.Epsilon, 0.044715f })
        {
            var text = CudaLiteral.Format(value);
            Assert.Equal(value, float.Parse(text.TrimEnd('f'), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
