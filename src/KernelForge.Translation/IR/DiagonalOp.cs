namespace KernelForge.Translation.IR;

/// <summary><c>torch.diag(v)</c> of a vector: the <c>[N, N]</c> matrix with <c>v</c> on its main diagonal and zeros elsewhere.</summary>
/// <remarks><see cref="Passes.SimplifyDiagonalProducts"/> turns a product with it into a row or column scale; otherwise it is a copy kernel.</remarks>
public sealed record DiagonalOp(IRValue Result, string Source) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"diag(%{Source})";
}
