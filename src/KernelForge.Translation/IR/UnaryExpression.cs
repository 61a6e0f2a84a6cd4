namespace KernelForge.Translation.IR;

/// <summary>An elementwise function of one subexpression.</summary>
public sealed record UnaryExpression(UnaryOpKind Kind, PointwiseExpression Operand) : PointwiseExpression
{
    public override PointwiseExpression Rename(Func<string, string> rename) => this with { Operand = Operand.Rename(rename) };

    public override string ToString() => $"{IRPrinter.Name(Kind)}({Operand})";
}
