using System.Globalization;

namespace KernelForge.Translation.Cuda;

/// <summary>Formats C# constants as CUDA C++ literals. Output must not depend on the current culture.</summary>
public static class CudaLiteral
{
    /// <summary>Shortest round-trippable <c>float</c> literal, e.g. <c>0.1f</c>, <c>1.0f</c>, <c>1E-10f</c>.</summary>
    public static string Format(float value)
    {
        if (float.IsNaN(value))
        {
            return "__int_as_float(0x7fffffff)";
        }

        if (float.IsInfinity(value))
        {
            return value > 0 ? "__int_as_float(0x7f800000)" : "__int_as_float(0xff800000)";
        }

        // .NET prints 1f as "1"; C++ needs a '.' or an exponent before the 'f' suffix.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') >= 0 ? text + "f" : text + ".0f";
    }

    /// <summary>An integer literal in invariant culture; C++ gives it a 64-bit type when it needs one.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
