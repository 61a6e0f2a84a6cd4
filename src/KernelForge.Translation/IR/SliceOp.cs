using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary><c>aten.slice</c> (and <c>select</c> before its reshape): along <c>Axis</c>, result index i reads source index <c>Start + i · Step</c>; a copy.</summary>
/// <remarks>The result's extent along the axis says how many are taken; <c>Start</c> is normalized (0 ≤ Start), <c>Step</c> ≥ 1.</remarks>
public sealed record SliceOp(IRValue Result, string Source, int Axis, long Start, long Step) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => Invariant($"slice(%{Source}, axis={Axis}, start={Start}, step={Step})");
}
