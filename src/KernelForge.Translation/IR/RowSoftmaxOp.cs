namespace KernelForge.Translation.IR;

/// <summary>Softmax, or log-softmax, over the last axis (aten._softmax / aten._log_softmax).</summary>
public sealed record RowSoftmaxOp(IRValue Result, string Source, bool IsLog) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"{(IsLog ? "row_log_softmax" : "row_softmax")}(%{Source})";
}
