using System.Collections.Immutable;

namespace KernelForge.Translation.IR;

/// <summary><c>permute(dims)</c>: result axis i is source axis <c>Order[i]</c>; a copy (the result is contiguous).</summary>
/// <remarks>A swap of the last two axes is a <see cref="TransposeOp"/>, which matmuls fold into how they read; any other order is this.</remarks>
public sealed record PermuteOp(IRValue Result, string Source, ImmutableArray<int> Order) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"permute(%{Source}, [{string.Join(", ", Order.Select(a => IRPrinter.Number(a)))}])";

    /// <summary>The shape <paramref name="source"/> has after permuting by <paramref name="order"/>.</summary>
    public static Shape Permuted(Shape source, IReadOnlyList<int> order) => Shape.Of([.. order.Select(axis => source[axis])]);
}
