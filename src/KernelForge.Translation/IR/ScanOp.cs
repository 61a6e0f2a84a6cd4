using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary>An inclusive scan along one axis; the result has the source's shape unless a <see cref="Border"/> places it in a larger one.</summary>
/// <remarks>
/// <c>Reverse</c>: the scan runs from the end of the axis to its start (element i holds the sum of i..end), what
/// <c>x.flip(d).cumsum(d).flip(d)</c> computes; <see cref="Passes.FoldFlips"/> makes that pattern one scan.
/// Accumulation is in float32, in axis order, as torch's CUDA scans do. <see cref="Passes.FuseScanWindows"/> sets
/// <see cref="SourceView"/> (a slice read in place) and <see cref="Border"/> (a constant pad written in place).
/// </remarks>
public sealed record ScanOp(IRValue Result, ScanKind Kind, string Source, int Axis, bool Reverse) : Operation(Result)
{
    /// <summary>Where the scanned elements lie in <c>Source</c>'s memory; null: all of <c>Source</c>, as it lies, in <see cref="ScannedShape"/>.</summary>
    public StridedView? SourceView { get; init; }

    /// <summary>Where the scan lies in <c>Result</c> and what fills the rest; null: the result is the scan.</summary>
    public ConstantBorder? Border { get; init; }

    /// <summary>The shape the scan runs over (<c>Axis</c> indexes it): the result's, less any border.</summary>
    public Shape ScannedShape => Border?.InnerShape ?? Result.Shape;

    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() =>
        Invariant($"cum{Kind.ToString().ToLowerInvariant()}(%{Source}{(SourceView is { } view ? $" read {view}" : "")}, axis={Axis}{(Reverse ? ", reverse" : "")}{(Border is { } border ? $", placed {border}" : "")})");
}
