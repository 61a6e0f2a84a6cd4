namespace KernelForge.Translation.IR;

/// <summary><c>torch.where(condition, if_true, if_false)</c>: a bool condition picks between two float32 values, all three broadcast to the result.</summary>
/// <remarks>
/// How core ATen spells the activations and losses with a branch (elu, softplus, leaky_relu, threshold, huber, masked_fill).
/// Bool values live only inside fused elementwise chains (held as 1 or 0 in registers); <see cref="Passes.FuseElementwise"/>
/// inlines every one into its readers.
/// </remarks>
public sealed record SelectOp(IRValue Result, string Condition, string IfTrue, string IfFalse) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Condition, IfTrue, IfFalse];

    public override Operation RenameOperands(Func<string, string> rename) =>
        this with { Condition = rename(Condition), IfTrue = rename(IfTrue), IfFalse = rename(IfFalse) };

    public override string Describe() => $"where(%{Condition}, %{IfTrue}, %{IfFalse})";
}
