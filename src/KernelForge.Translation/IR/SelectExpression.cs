namespace KernelForge.Translation.IR;

/// <summary><c>condition ? if_true : if_false</c> over subexpressions (a <see cref="SelectOp"/> inside a fused chain).</summary>
public sealed record SelectExpression(PointwiseExpression Condition, PointwiseExpression IfTrue, PointwiseExpression IfFalse) : PointwiseExpression
{
    public override PointwiseExpression Rename(Func<string, string> rename) =>
        this with { Condition = Condition.Rename(rename), IfTrue = IfTrue.Rename(rename), IfFalse = IfFalse.Rename(rename) };

    public override string ToString() => $"where({Condition}, {IfTrue}, {IfFalse})";
}
