using System.Collections.Immutable;

namespace KernelForge.Translation.IR;

/// <summary><c>torch.flip</c>: the source with the order of each axis in <c>Axes</c> reversed (distinct, normalized, ascending).</summary>
public sealed record FlipOp(IRValue Result, string Source, ImmutableArray<int> Axes) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"flip(%{Source}, axes=[{string.Join(", ", Axes.Select(a => IRPrinter.Number(a)))}])";
}
