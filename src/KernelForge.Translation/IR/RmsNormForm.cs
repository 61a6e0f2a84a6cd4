namespace KernelForge.Translation.IR;

/// <summary>How a written-out RMS norm divides by the root mean square; kept so the kernel rounds as the reference does.</summary>
public enum RmsNormForm
{
    /// <summary><c>x / sqrt(mean(x²) + eps)</c>.</summary>
    DivideBySqrt,

    /// <summary><c>x * rsqrt(mean(x²) + eps)</c>.</summary>
    MultiplyByRsqrt,
}
