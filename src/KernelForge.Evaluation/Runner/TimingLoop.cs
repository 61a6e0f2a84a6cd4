using KernelForge.Core;
using KernelForge.Evaluation.Statistics;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// The sampling part of the timing protocol, apart from CUDA so it can be tested with synthetic samples: take one
/// sample per input set in rotation (0, 1, 2, 0, 1, 2, …) until the stop rule says enough.
/// </summary>
internal static class TimingLoop
{
    /// <summary>
    /// Takes samples with <paramref name="takeSampleMicroseconds"/> (times one call on the given input set, in µs)
    /// until <paramref name="shouldStop"/>(samples so far, wall milliseconds since the first) is true or
    /// <paramref name="maxSamples"/> were taken (a hard cap whatever the rule says).
    /// </summary>
    public static TimingLoopResult Run(
        int maxSamples,
        int inputSetCount,
        Func<int, double> takeSampleMicroseconds,
        Func<IReadOnlyList<double>, double, bool> shouldStop,
        TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSetCount, 1);
        ArgumentNullException.ThrowIfNull(takeSampleMicroseconds);
        ArgumentNullException.ThrowIfNull(shouldStop);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var samples = new List<double>();
        var started = timeProvider.GetTimestamp();
        while (samples.Count < maxSamples)
        {
            samples.Add(takeSampleMicroseconds(samples.Count % inputSetCount));
            if (shouldStop(samples, timeProvider.GetElapsedTime(started).TotalMilliseconds))
            {
                break;
            }
        }

        return new TimingLoopResult(samples, timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// The stop rule of <see cref="TimingOptions"/> (<see cref="AdaptiveStopRule"/>, shared with the worker's loop): at
    /// least <c>MinSamples</c> and a 95% confidence half-width of the mean within <c>TargetRelativeError</c> of the
    /// mean; or <c>MaxSamples</c>; or <c>MaxWallMilliseconds</c>.
    /// </summary>
    public static Func<IReadOnlyList<double>, double, bool> DefaultStopRule(TimingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (samples, wallMilliseconds) => AdaptiveStopRule.ShouldStop(samples, wallMilliseconds, options);
    }
}
