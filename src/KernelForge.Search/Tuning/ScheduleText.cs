using KernelForge.Translation.Cuda;

namespace KernelForge.Search.Tuning;

/// <summary>One-line descriptions of a schedule per kernel kind, for candidate origins, progress and reports.</summary>
public static class ScheduleText
{
    /// <summary>E.g. <c>Pointwise (block 256, vector 4, items 4); Matmul (block 64, vector 1, items 8)</c>, kinds in enum order.</summary>
    public static string Describe(IReadOnlyDictionary<KernelKind, Schedule> schedules)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        return schedules.Count == 0
            ? "no tunable kernels"
            : string.Join("; ", schedules.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key} ({pair.Value})"));
    }
}
