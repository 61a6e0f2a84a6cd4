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

    /// <summary>
    /// The chain that computes each source element, or null (the source is loaded). With a prologue, <c>Source</c> names the
    /// value the chain used to store, no longer in the graph; its shape is <see cref="IR.Prologue.SourceShape"/>.
    /// </summary>
    public Prologue? Prologue { get; init; }

    public override IReadOnlyList<string> Operands => Prologue is null ? [Source] : Prologue.Loads;

    /// <summary>True for the kinds whose result is an int64 index.</summary>
    public bool IsIndex => IsIndexKind(Kind);

    public override Operation RenameOperands(Func<string, string> rename) =>
        Prologue is null ? this with { Source = rename(Source) } : this with { Prologue = Prologue.Rename(rename) };

    public override string Describe()
    {
        var source = Prologue is null ? "%" + Source : Invariant($"{Prologue} as {Prologue.SourceShape}");
        return Kind is ReductionKind.Variance or ReductionKind.StandardDeviation
            ? Invariant($"{IRPrinter.Name(Kind)}({source}, axis={Axis}, correction={IRPrinter.Number(Correction)})")
            : Invariant($"{IRPrinter.Name(Kind)}({source}, axis={Axis})");
    }

    public static bool IsIndexKind(ReductionKind kind) => kind is ReductionKind.ArgMax or ReductionKind.ArgMin;
}
