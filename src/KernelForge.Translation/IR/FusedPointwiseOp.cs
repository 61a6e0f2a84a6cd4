namespace KernelForge.Translation.IR;

/// <summary>A chain of elementwise operations computed in one pass: every intermediate stays in registers.</summary>
/// <remarks>Each <see cref="LoadExpression"/> leaf is broadcast (right-aligned) to the result's shape.</remarks>
public sealed record FusedPointwiseOp(IRValue Result, PointwiseExpression Expression) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => PointwiseExpression.LoadsOf(Expression);

    public override Operation RenameOperands(Func<string, string> rename) => this with { Expression = Expression.Rename(rename) };

    public override string Describe() => $"pointwise {Expression}";
}
