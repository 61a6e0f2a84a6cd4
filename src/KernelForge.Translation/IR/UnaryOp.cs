namespace KernelForge.Translation.IR;

/// <summary>An elementwise function of one tensor, broadcast to the result's shape.</summary>
public sealed record UnaryOp(IRValue Result, UnaryOpKind Kind, string Operand) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Operand];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Operand = rename(Operand) };

    public override string Describe() => $"{IRPrinter.Name(Kind)}(%{Operand})";

    /// <summary>True for the kinds whose result is bool (logical not, isnan, isinf).</summary>
    public static bool IsPredicate(UnaryOpKind kind) => kind is UnaryOpKind.LogicalNot or UnaryOpKind.IsNan or UnaryOpKind.IsInf;
}
