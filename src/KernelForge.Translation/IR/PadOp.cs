using System.Collections.Immutable;

namespace KernelForge.Translation.IR;

/// <summary><c>constant_pad_nd</c> (<c>F.pad</c>, mode 'constant'): <c>Before[i]</c> elements of <c>Value</c> ahead of axis i, and as many after as the result's extent leaves.</summary>
/// <remarks>One entry of <c>Before</c> per axis, outermost first, each ≥ 0 (cropping pads are refused by the frontend).</remarks>
public sealed record PadOp(IRValue Result, string Source, ImmutableArray<long> Before, double Value) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() => $"pad(%{Source}, before=[{string.Join(", ", Before.Select(b => IRPrinter.Number(b)))}], value={IRPrinter.Number(Value)})";
}
