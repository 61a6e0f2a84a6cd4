namespace KernelForge.Evaluation.Statistics;

/// <summary>Quantiles of samples by linear interpolation between order statistics.</summary>
/// <remarks>
/// The definition is Hyndman and Fan's type 7, the default of R's <c>quantile</c> and of NumPy's <c>percentile</c>
/// (<c>method="linear"</c>): for n sorted values x₀…xₙ₋₁ and probability p, h = (n − 1)·p and
/// Q(p) = x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋). So Q(0) is the minimum, Q(1) the maximum, and the median of an even
/// count is the mean of the middle two. Python code that must agree uses <c>numpy.percentile</c>'s default or
/// <c>statistics.quantiles(data, n=4, method="inclusive")</c>; the standard library's default (<c>"exclusive"</c>, type 6) differs.
/// </remarks>
public static class Percentiles
{
    public static double Median(IReadOnlyList<double> samples) => Quantile(samples, 0.5);

    public static double LowerQuartile(IReadOnlyList<double> samples) => Quantile(samples, 0.25);

    public static double UpperQuartile(IReadOnlyList<double> samples) => Quantile(samples, 0.75);

    /// <summary>The <paramref name="probability"/> quantile (0 to 1) of <paramref name="samples"/>, in any order.</summary>
    public static double Quantile(IReadOnlyList<double> samples, double probability)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return QuantileOfSorted(sorted, probability);
    }

    /// <summary>The <paramref name="probability"/> quantile of <paramref name="sorted"/>, which must be in ascending order.</summary>
    public static double QuantileOfSorted(ReadOnlySpan<double> sorted, double probability)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("A quantile needs at least one sample.", nameof(sorted));
        }

        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability must lie in [0, 1].");
        }

        var h = (sorted.Length - 1) * probability;
        var lower = (int)Math.Floor(h);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((h - lower) * (sorted[upper] - sorted[lower]));
    }
}
