namespace KernelForge.Evaluation.Validation;

/// <summary>What a static rule does to a candidate that matches it.</summary>
public enum StaticVerdict
{
    /// <summary>The candidate is not compiled: the construct is banned.</summary>
    Reject,

    /// <summary>The candidate is evaluated, and the finding is shown with its result.</summary>
    Flag,

    /// <summary>A fact worth keeping with the result (for example "uses cuBLAS"); not a problem.</summary>
    Record,
}
