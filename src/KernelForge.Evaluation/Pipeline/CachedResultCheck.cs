using System.Globalization;

namespace KernelForge.Evaluation.Pipeline;

/// <summary>
/// Catches results reused across calls (a cache keyed by an input checksum): the timed calls rotate over input sets
/// the candidate has seen, so a cache hits there, while the calls on never-seen inputs (the fresh-memory run) have to
/// compute. Repeated calls much faster than that call mean the timed loop did not measure the computation.
/// </summary>
/// <remarks>
/// The ABI runner times the fresh call as it times a sample (L2 flushed by a memset queued before the start event, which
/// also hides the host's launch overhead; clocks brought up by calls on seen inputs first) and reports the fastest of
/// three calls on never-seen data (the fresh seed, then it rotated by one and two elements: LoadedCandidate.RunFresh), so
/// an honest kernel's fresh call is one more sample, and one late host wake-up does not make it look slow.
/// </remarks>
public static class CachedResultCheck
{
    /// <summary>Timed median this many times faster than the fresh call is suspect…</summary>
    public const double SpeedRatio = 3.0;

    /// <summary>…when the gap is also larger than this many µs (launch jitter on tiny kernels stays below it).</summary>
    public const double MinimumGapMicroseconds = 20.0;

    /// <summary>Null when the timed median is plausible next to the fresh call; otherwise why not.</summary>
    public static string? Check(double timedMedianMicroseconds, double? freshCallMicroseconds)
    {
        if (freshCallMicroseconds is not { } fresh || !double.IsFinite(fresh) || !double.IsFinite(timedMedianMicroseconds))
        {
            return null;
        }

        return timedMedianMicroseconds * SpeedRatio < fresh && fresh - timedMedianMicroseconds > MinimumGapMicroseconds
            ? string.Create(CultureInfo.InvariantCulture,
                $"Timed calls on inputs the candidate had seen took a median {timedMedianMicroseconds:F2} µs, but calls on inputs it had never seen took at least {fresh:F2} µs ({fresh / timedMedianMicroseconds:F1}× longer): results are reused across calls instead of computed, so the timing does not measure the kernel.")
            : null;
    }
}
