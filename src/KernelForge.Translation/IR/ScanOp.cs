using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary>What a <see cref="ScanOp"/> accumulates.</summary>
public enum ScanKind
{
    /// <summary>Running sum (<c>cumsum</c>).</summary>
    Sum,

    /// <summary>Running product (<c>cumprod</c>).</summary>
    Prod,

    /// <summary>Running maximum (the values of <c>cummax</c>), NaN from the first NaN on.</summary>
    Max,

    /// <summary>Running minimum (the values of <c>cummin</c>), NaN from the first NaN on.</summary>
    Min,
}

/// <summary>An inclusive scan along one axis; the result has the source's shape.</summary>
/// <remarks>
/// <c>Reverse</c>: the scan runs from the end of the axis to its start (element i holds the sum of i..end), what
/// <c>x.flip(d).cumsum(d).flip(d)</c> computes; <see cref="Passes.FoldFlips"/> makes that pattern one scan.
/// Accumulation is in float32, in axis order, as torch's CUDA scans do.
/// </remarks>
public sealed record ScanOp(IRValue Result, ScanKind Kind, string Source, int Axis, bool Reverse) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() =>
        Invariant($"cum{Kind.ToString().ToLowerInvariant()}(%{Source}, axis={Axis}{(Reverse ? ", reverse" : "")})");
}
