namespace KernelForge.Translation.IR;

/// <summary>An elementwise chain a matmul or convolution applies to each result as it stores it (epilogue fusion).</summary>
/// <remarks>
/// <see cref="Expression"/> reads the product's own value as <see cref="Accumulator"/> and any other values of the graph
/// broadcast (right-aligned) to the product's shape, like a <see cref="FusedPointwiseOp"/>. Saves writing the product and
/// reading it back. Made by <see cref="Passes.FuseEpilogues"/>.
/// </remarks>
public sealed record Epilogue(PointwiseExpression Expression)
{
    /// <summary>The name the expression loads the product's value by; not a graph name (those are Python identifiers).</summary>
    public const string Accumulator = "@acc";

    /// <summary>The graph values the expression reads, in first-use order (the accumulator excluded).</summary>
    public IReadOnlyList<string> Loads => [.. PointwiseExpression.LoadsOf(Expression).Where(name => name != Accumulator)];

    public Epilogue Rename(Func<string, string> rename) => new(Expression.Rename(name => name == Accumulator ? name : rename(name)));

    public override string ToString() => Expression.ToString();
}
