namespace KernelForge.Translation.IR;

/// <summary>The same elements under another shape (view, reshape, squeeze, unsqueeze of a contiguous tensor).</summary>
/// <remarks>Costs nothing: the result aliases the source's memory, and consumers index it linearly.</remarks>
public sealed record ReshapeOp(IRValue Result, string Source) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"reshape(%{Source})";
}
