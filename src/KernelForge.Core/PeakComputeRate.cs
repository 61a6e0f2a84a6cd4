namespace KernelForge.Core;

/// <summary>The fastest dense arithmetic a GPU can do in any number format: the compute floor's denominator.</summary>
/// <remarks>
/// Deliberately the highest rate (FP8 tensor cores on Hopper), whatever the problem's precision, so the floor is a true
/// lower bound: a time under it is impossible, not merely suspicious. Flops per clock per SM, dense (no 2:4 sparsity),
/// from NVIDIA's published peaks: H100 SXM5 FP8 1978.9 TFLOPS at 1830 MHz on 132 SMs (NVIDIA H100 Tensor Core GPU
/// Architecture whitepaper) gives 8192; A100 FP16 312 TFLOPS at 1410 MHz on 108 SMs (NVIDIA A100 Tensor Core GPU
/// Architecture whitepaper) gives 2048. Other architectures have no entry: no compute floor rather than a guessed one.
/// </remarks>
public static class PeakComputeRate
{
    private static readonly Dictionary<string, int> DenseFlopsPerClockPerMultiprocessor = new(StringComparer.Ordinal)
    {
        ["9.0"] = 8192,
        ["8.0"] = 2048,
    };

    /// <summary>Peak dense flops per second at the maximum SM clock, or null when the architecture, SM count or clock is unknown.</summary>
    public static double? FlopsPerSecond(EnvironmentInfo environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return DenseFlopsPerClockPerMultiprocessor.TryGetValue(environment.ComputeCapability, out var perClock)
            && environment.MultiprocessorCount is > 0 and var multiprocessors
            && (environment.MaxSmClockMegahertz ?? environment.SmClockMegahertz) is > 0 and var megahertz
                ? (double)perClock * multiprocessors * megahertz * 1e6
                : null;
    }
}
