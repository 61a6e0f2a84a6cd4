using System.Globalization;

namespace KernelForge.Evaluation.Statistics;

/// <summary>Catches times that physics rules out (faster than the GPU can move the bytes the problem needs), and flags
/// times faster than the reference's arithmetic allows.</summary>
/// <remarks>
/// The memory floor is bytes / measured bandwidth: every input must be read and every output written at least once, by
/// any algorithm. A median more than <see cref="Tolerance"/> below it means the kernel skipped work (reused a result,
/// wrote nothing, ran on another stream) or the timer is wrong: <c>FailureKind.ImplausibleTime</c>, a rejection.
/// The compute floor is the reference's flops / the fastest dense rate of the GPU in any format
/// (<see cref="Core.PeakComputeRate"/>). It is a floor for the reference's algorithm, not for the problem: a kernel that
/// exploits structure the reference spells expensively does less arithmetic. On 2026-12-07 (H100) the translator's
/// row-scale kernel for <c>torch.diag(d) @ B</c> (N = 4096, M = 8192) was rejected as implausible although every check
/// of its outputs passed: its memory floor is about 90 µs, the 2·N²·M-flop floor of the GEMM eager runs about 128 µs, and
/// a row scale runs near the former (the report with its median did not come back from the device, but only the compute
/// floor can have tripped: the memory floor would need a median under 81 µs). So a median under the compute floor is flagged
/// (<see cref="TimingConclusion.BelowReferenceComputeFloor"/>) for a human look, as a speedup above 10x is. The exploits
/// the compute floor was meant for (reused results) are rejected by the fresh-memory, cached-result and checked
/// timed-call checks, whatever the flop count.
/// </remarks>
public static class ImplausibilityCheck
{
    /// <summary>Slack under the floor before a time is implausible: bandwidth measurements and caches wobble by a few percent.</summary>
    public const double Tolerance = 0.10;

    /// <summary>The least time, in microseconds, that moving <paramref name="bytesMoved"/> takes at <paramref name="bandwidthBytesPerSecond"/>.</summary>
    public static double MemoryFloorMicroseconds(long bytesMoved, double bandwidthBytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesMoved);
        if (!(bandwidthBytesPerSecond > 0) || double.IsInfinity(bandwidthBytesPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidthBytesPerSecond), bandwidthBytesPerSecond, "Bandwidth must be positive and finite.");
        }

        return bytesMoved / bandwidthBytesPerSecond * 1e6;
    }

    /// <summary>An <see cref="TimingConclusion.ImplausibleTime"/> conclusion when <paramref name="medianMicroseconds"/> is more than 10% under the memory floor; else null.</summary>
    /// <param name="medianMicroseconds">The candidate's median time.</param>
    /// <param name="minimumBytesMoved">Bytes the problem must move at least (inputs read plus outputs written).</param>
    /// <param name="measuredBandwidthBytesPerSecond">Device bandwidth measured in this session (a copy kernel), not the datasheet figure.</param>
    public static TimingConclusion? Check(double medianMicroseconds, long minimumBytesMoved, double measuredBandwidthBytesPerSecond)
    {
        var floor = MemoryFloorMicroseconds(minimumBytesMoved, measuredBandwidthBytesPerSecond);
        if (!(medianMicroseconds < (1 - Tolerance) * floor))
        {
            return null;
        }

        return new TimingConclusion(
            TimingConclusion.ImplausibleTime,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Median {medianMicroseconds:0.###} µs is below the memory floor {floor:0.###} µs ({minimumBytesMoved} bytes at {measuredBandwidthBytesPerSecond / 1e9:0.#} GB/s): the kernel cannot have done all its work; check for reused results, unwritten outputs or work on another stream."));
    }

    /// <summary>A <see cref="TimingConclusion.BelowReferenceComputeFloor"/> flag when <paramref name="medianMicroseconds"/> is more than 10% under the reference's compute floor; else null.</summary>
    /// <param name="medianMicroseconds">The candidate's median time.</param>
    /// <param name="flops">Floating-point operations the problem needs (one forward pass).</param>
    /// <param name="peakFlopsPerSecond">The GPU's fastest dense rate in any number format.</param>
    public static TimingConclusion? CheckCompute(double medianMicroseconds, long flops, double peakFlopsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(flops);
        if (!(peakFlopsPerSecond > 0) || double.IsInfinity(peakFlopsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(peakFlopsPerSecond), peakFlopsPerSecond, "The peak rate must be positive and finite.");
        }

        var floor = flops / peakFlopsPerSecond * 1e6;
        if (!(medianMicroseconds < (1 - Tolerance) * floor))
        {
            return null;
        }

        return new TimingConclusion(
            TimingConclusion.BelowReferenceComputeFloor,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Median {medianMicroseconds:0.###} µs is below the reference's compute floor {floor:0.###} µs ({flops} flops at the GPU's fastest dense rate, {peakFlopsPerSecond / 1e12:0.#} TFLOPS): the kernel does less arithmetic than the reference's algorithm. That is right only when it exploits structure (a diagonal or triangular operand); its outputs passed every check, but look at the code before trusting the speedup."));
    }
}
