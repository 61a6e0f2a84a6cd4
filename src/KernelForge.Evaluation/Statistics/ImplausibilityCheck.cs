using System.Globalization;

namespace KernelForge.Evaluation.Statistics;

/// <summary>Catches times that physics rules out: faster than the GPU can move the bytes, or do the flops, the problem needs.</summary>
/// <remarks>
/// The memory floor is bytes / measured bandwidth: every input must be read and every output written at least once. The
/// compute floor is flops / the fastest dense rate of the GPU in any format (<see cref="Core.PeakComputeRate"/>). A
/// median more than <see cref="Tolerance"/> below either means the kernel skipped work (reused a result, wrote nothing,
/// ran on another stream) or the timer is wrong; report it as <c>FailureKind.ImplausibleTime</c>.
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

    /// <summary>An <see cref="TimingConclusion.ImplausibleTime"/> conclusion when <paramref name="medianMicroseconds"/> is more than 10% under the compute floor; else null.</summary>
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
            TimingConclusion.ImplausibleTime,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Median {medianMicroseconds:0.###} µs is below the compute floor {floor:0.###} µs ({flops} flops at the GPU's fastest dense rate, {peakFlopsPerSecond / 1e12:0.#} TFLOPS): the kernel cannot have done all its arithmetic; check for reused results or skipped work."));
    }
}
