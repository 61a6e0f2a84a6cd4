namespace KernelForge.Translation.IR;

/// <summary>The source with its last two axes swapped (aten.t, aten.transpose and aten.permute of the last two dims).</summary>
/// <remarks>
/// Unlike a reshape it moves elements. The emitter has no kernel for it: <see cref="Passes.FoldTransposes"/> folds it into
/// the matmuls that read it, and one left over (read by anything else) is reported as not supported.
/// </remarks>
public sealed record TransposeOp(IRValue Result, string Source) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"transpose(%{Source})";
}
