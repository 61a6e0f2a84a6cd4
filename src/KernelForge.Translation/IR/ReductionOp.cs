using static System.FormattableString;
namespace KernelForge.Translation.IR;

/// <summary>Sum, mean or max over one axis; the result drops the axis, or keeps it with extent 1 (keepdim).</summary>
/// <remarks>
/// The source is seen as (outer, reduced, inner): a row reduction when the axis is the last one (inner = 1),
/// a column reduction otherwise. Either way the result's elements are laid out as (outer, inner).
/// </remarks>
public sealed record ReductionOp(IRValue Result, ReductionKind Kind, string Source, int Axis) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => Invariant($"{IRPrinter.Name(Kind)}(%{Source}, axis={Axis})");
}
