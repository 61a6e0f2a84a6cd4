namespace KernelForge.Translation.IR;

/// <summary>Softmax, or log-softmax, over an axis that is not the last (e.g. the channels of <c>[N, C, H, W]</c>).</summary>
/// <remarks>The source is seen as (outer, axis, inner) with inner &gt; 1; the last axis is <see cref="RowSoftmaxOp"/>'s.</remarks>
public sealed record AxisSoftmaxOp(IRValue Result, string Source, int Axis, bool IsLog) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"{(IsLog ? "log_softmax" : "softmax")}(%{Source}, axis={IRPrinter.Number(Axis)})";
}
