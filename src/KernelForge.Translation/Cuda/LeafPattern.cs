namespace KernelForge.Translation.Cuda;

/// <summary>How a value read by an elementwise kernel maps onto the kernel's elements (its broadcasting, as index arithmetic).</summary>
internal enum LeafPattern
{
    /// <summary>Same shape: element <c>j</c>.</summary>
    Same,

    /// <summary>One element, read once per thread.</summary>
    Scalar,

    /// <summary>The innermost dimensions (a bias over rows): element <c>j % period</c>.</summary>
    Suffix,

    /// <summary>The outermost dimensions (a per-row value, keepdim): element <c>j / inner</c>.</summary>
    Prefix,

    /// <summary>Anything else torch broadcasts: one division and remainder per stretched dimension.</summary>
    General,
}
