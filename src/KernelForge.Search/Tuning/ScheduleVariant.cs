using KernelForge.Translation;
using KernelForge.Translation.Cuda;

namespace KernelForge.Search.Tuning;

/// <summary>A schedule per kernel kind and the translation it gives, not yet evaluated.</summary>
/// <remarks><c>SourceHash</c> is the content hash of the source's code (whole-line comments left out): two variants with the same hash are evaluated once.</remarks>
public sealed record ScheduleVariant(IReadOnlyDictionary<KernelKind, Schedule> Schedules, TranslationResult Translation, string SourceHash);
