namespace KernelForge.Translation.IR;

/// <summary>An elementwise function of one tensor, broadcast to the result's shape.</summary>
public sealed record UnaryOp(IRValue Result, UnaryOpKind Kind, string Operand) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Operand];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Operand = rename(Operand) };

    public override string Describe() => $"{IRPrinter.Name(Kind)}(%{Operand})";
}
