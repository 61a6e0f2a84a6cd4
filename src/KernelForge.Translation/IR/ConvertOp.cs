namespace KernelForge.Translation.IR;

/// <summary><c>x.to(torch.float32)</c> of an int64 tensor (labels, class indices used as numbers) or of a bool input (a mask, to 0/1): a copy-family kernel.</summary>
/// <remarks>
/// One of the two readers of int64 values the translator has, besides views (the other is the index of a
/// <see cref="GatherOp"/> or <see cref="RowSoftmaxPickOp"/>): every other op reads float32, so an int64 input is converted
/// once and the rest of the graph sees floats (exact for integers below 2^24, rounded above as torch rounds them).
/// </remarks>
public sealed record ConvertOp(IRValue Result, string Source) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"float32(%{Source})";
}
