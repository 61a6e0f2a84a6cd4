using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests.Cuda;

public sealed class CudaWriterTests
{
    [Fact]
    public void Open_Close_IndentsFourSpacesAndDirectivesStayAtColumnZero()
    {
        var writer = new CudaWriter();
        writer.Open("void f()");
        writer.Directive("#pragma unroll");
        writer.Open("for (;;)");
        writer.Line("x();");
        writer.Close();
        writer.Line();
        writer.Close();

        Assert.Equal("void f() {\n#pragma unroll\n    for (;;) {\n        x();\n    }\n\n}\n", writer.ToString());
    }

    [Fact]
    public void Else_ClosesAndReopens()
    {
        var writer = new CudaWriter();
        writer.Open("if (a)");
        writer.Line("b();");
        writer.Else();
        writer.Line("c();");
        writer.Close();

        Assert.Equal("if (a) {\n    b();\n} else {\n    c();\n}\n", writer.ToString());
    }

    [Fact]
    public void Line_InterpolatedUnderGermanCulture_FloatsAsCudaLiteralsNumbersInvariant()
    {
        using var culture = new CultureScope("de-DE");
        var writer = new CudaWriter();

        writer.Line($"x = {0.25f} * {1.5} + {-12345678L};");

        Assert.Equal("x = 0.25f * 1.5 + -12345678;\n", writer.ToString());
    }

    [Fact]
    public void ToString_BlockLeftOpen_Throws()
    {
        var writer = new CudaWriter();
        writer.Open("void f()");

        Assert.Throws<InvalidOperationException>(() => writer.ToString());
        Assert.Throws<InvalidOperationException>(() => new CudaWriter().Close());
    }
}
