namespace KernelForge.Translation.IR;

/// <summary>What a <see cref="ScanOp"/> accumulates.</summary>
public enum ScanKind
{
    /// <summary>Running sum (<c>cumsum</c>).</summary>
    Sum,

    /// <summary>Running product (<c>cumprod</c>).</summary>
    Prod,

    /// <summary>Running maximum (the values of <c>cummax</c>), NaN from the first NaN on.</summary>
    Max,

    /// <summary>Running minimum (the values of <c>cummin</c>), NaN from the first NaN on.</summary>
    Min,
}
