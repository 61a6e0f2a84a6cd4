namespace KernelForge.Core;

/// <summary>Statistics of one set of timed samples, with the raw samples kept. Every value is in microseconds.</summary>
public sealed record TimingSummary(
    IReadOnlyList<double> SamplesMicroseconds,
    double MedianMicroseconds,
    double LowerQuartileMicroseconds,
    double UpperQuartileMicroseconds,
    double MinMicroseconds,
    double MeanMicroseconds,
    double StandardDeviationMicroseconds,
    bool L2Flushed)
{
    public int SampleCount => SamplesMicroseconds.Count;

    public double InterquartileRangeMicroseconds => UpperQuartileMicroseconds - LowerQuartileMicroseconds;
}
