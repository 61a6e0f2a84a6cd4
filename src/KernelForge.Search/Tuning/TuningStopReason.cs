namespace KernelForge.Search.Tuning;

/// <summary>Why a tuning run ended.</summary>
public enum TuningStopReason
{
    /// <summary>Every planned variant was evaluated.</summary>
    Exhausted,

    /// <summary>The time budget ran out first; the best variant so far is kept.</summary>
    BudgetSpent,

    /// <summary>The caller cancelled (Ctrl+C); the best variant so far is kept.</summary>
    Cancelled,
}
