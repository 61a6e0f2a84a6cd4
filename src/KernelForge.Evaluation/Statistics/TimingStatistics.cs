using KernelForge.Core;

namespace KernelForge.Evaluation.Statistics;

/// <summary>Turns raw timed samples into the <see cref="TimingSummary"/> that is stored and compared.</summary>
public static class TimingStatistics
{
    /// <summary>Median, quartiles (<see cref="Percentiles"/>, type 7), minimum, mean and sample standard deviation, with the samples kept in their order.</summary>
    /// <exception cref="ArgumentException">There are no samples, or one is NaN or infinite.</exception>
    public static TimingSummary Summarize(IReadOnlyList<double> samplesMicroseconds, bool l2Flushed)
    {
        ArgumentNullException.ThrowIfNull(samplesMicroseconds);
        var samples = samplesMicroseconds.ToArray();
        if (samples.Length == 0)
        {
            throw new ArgumentException("A timing summary needs at least one sample.", nameof(samplesMicroseconds));
        }

        if (samples.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("Samples must be finite; a NaN or infinite time means the timer failed.", nameof(samplesMicroseconds));
        }

        var sorted = (double[])samples.Clone();
        Array.Sort(sorted);
        return new TimingSummary(
            samples,
            MedianMicroseconds: Percentiles.QuantileOfSorted(sorted, 0.5),
            LowerQuartileMicroseconds: Percentiles.QuantileOfSorted(sorted, 0.25),
            UpperQuartileMicroseconds: Percentiles.QuantileOfSorted(sorted, 0.75),
            MinMicroseconds: sorted[0],
            MeanMicroseconds: Mean(samples),
            StandardDeviationMicroseconds: SampleStandardDeviation(samples),
            L2Flushed: l2Flushed);
    }

    /// <summary>The arithmetic mean; NaN for no samples.</summary>
    public static double Mean(IReadOnlyList<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var i = 0; i < samples.Count; i++)
        {
            sum += samples[i];
        }

        return sum / samples.Count;
    }

    /// <summary>The sample standard deviation (divisor n − 1, as Python's <c>statistics.stdev</c>); 0 for fewer than two samples.</summary>
    public static double SampleStandardDeviation(IReadOnlyList<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            return 0;
        }

        // Two passes: subtracting the mean first keeps precision when the spread is tiny next to the mean.
        var mean = Mean(samples);
        var sumOfSquares = 0.0;
        for (var i = 0; i < samples.Count; i++)
        {
            var deviation = samples[i] - mean;
            sumOfSquares += deviation * deviation;
        }

        return Math.Sqrt(sumOfSquares / (samples.Count - 1));
    }
}
