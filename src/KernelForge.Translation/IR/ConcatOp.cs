using System.Collections.Immutable;
using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary><c>torch.cat(sources, dim)</c>: the sources laid end to end along <c>Axis</c>; every other extent equal.</summary>
public sealed record ConcatOp(IRValue Result, ImmutableArray<string> Sources, int Axis) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => Sources;

    public override Operation RenameOperands(Func<string, string> rename) => this with { Sources = [.. Sources.Select(rename)] };

    public override string Describe() => Invariant($"cat([{string.Join(", ", Sources.Select(s => "%" + s))}], axis={Axis})");
}
