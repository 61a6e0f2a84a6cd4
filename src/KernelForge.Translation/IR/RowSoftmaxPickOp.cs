namespace KernelForge.Translation.IR;

/// <summary>
/// Picked elements of a row softmax or log-softmax: for each row of <see cref="Source"/>, the elements of its (log-)softmax
/// at the columns <see cref="Index"/> names (cross entropy: the log-probability of each row's target class).
/// </summary>
/// <remarks>
/// The index is <c>[..., K]</c> with the source's leading extents, int64 or float32 integers under the same rules as
/// <see cref="GatherOp"/>, and so is the result (NaN where the index is out of range). Made by
/// <see cref="Passes.FuseSoftmaxGather"/> from a <see cref="RowSoftmaxOp"/> read only by a <see cref="GatherOp"/> on the last
/// axis: the row is read once for its max and sum of exponentials, and the full softmax is never written.
/// </remarks>
public sealed record RowSoftmaxPickOp(IRValue Result, string Source, string Index, bool IsLog) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source, Index];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source), Index = rename(Index) };

    public override string Describe() => $"{(IsLog ? "row_log_softmax" : "row_softmax")}(%{Source})[%{Index}]";
}
