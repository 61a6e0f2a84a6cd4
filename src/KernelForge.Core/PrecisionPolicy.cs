namespace KernelForge.Core;

/// <summary>How close to the float64 reference a candidate's outputs must be.</summary>
public enum PrecisionPolicy
{
    /// <summary>Error at most 10× the error eager float32 itself makes against float64 (catches silent TF32/half).</summary>
    Strict,

    /// <summary>Error at most what TF32 matrix arithmetic makes (relative 1e-3 per element, plus absolute 1e-3).</summary>
    Tf32,

    /// <summary>KernelBench's <c>torch.allclose(atol=1e-2, rtol=1e-2)</c>.</summary>
    KernelBench,
}
