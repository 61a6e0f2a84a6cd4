using KernelForge.Core;
using KernelForge.Translation;
using KernelForge.Translation.Cuda;

namespace KernelForge.Search.Tuning;

/// <summary>One schedule variant the tuner evaluated: the schedule per kernel kind, its translation and its evaluation.</summary>
public sealed record TunedVariant(IReadOnlyDictionary<KernelKind, Schedule> Schedules, TranslationResult Translation, EvaluationResult Evaluation)
{
    /// <summary>The candidate's median in microseconds when it was accepted; null when it was rejected.</summary>
    public double? MedianMicroseconds => Evaluation.Accepted ? Evaluation.CandidateTiming!.MedianMicroseconds : null;
}
