using static System.FormattableString;
namespace KernelForge.Translation.IR;

/// <summary>A reduction over one axis (<see cref="ReductionKind"/>); the result drops the axis, or keeps it with extent 1 (keepdim).</summary>
/// <remarks>
/// The source is seen as (outer, reduced, inner): a row reduction when the axis is the last one (inner = 1),
/// a column reduction otherwise. Either way the result's elements are laid out as (outer, inner).
/// The result is float32, except for <see cref="ReductionKind.ArgMax"/> and <see cref="ReductionKind.ArgMin"/> (int64).
/// <c>Correction</c>: subtracted from the element count before dividing, for <see cref="ReductionKind.Variance"/> and
/// <see cref="ReductionKind.StandardDeviation"/> only (torch's default is 1, Bessel's correction).
/// </remarks>
public sealed record ReductionOp(IRValue Result, ReductionKind Kind, string Source, int Axis) : Operation(Result)
{
    public double Correction { get; init; }

    public override IReadOnlyList<string> Operands => [Source];

    /// <summary>True for the kinds whose result is an int64 index.</summary>
    public bool IsIndex => IsIndexKind(Kind);

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => Kind is ReductionKind.Variance or ReductionKind.StandardDeviation
        ? Invariant($"{IRPrinter.Name(Kind)}(%{Source}, axis={Axis}, correction={IRPrinter.Number(Correction)})")
        : Invariant($"{IRPrinter.Name(Kind)}(%{Source}, axis={Axis})");

    public static bool IsIndexKind(ReductionKind kind) => kind is ReductionKind.ArgMax or ReductionKind.ArgMin;
}
