namespace KernelForge.Translation.IR;

/// <summary>An elementwise function of two subexpressions.</summary>
public sealed record BinaryExpression(BinaryOpKind Kind, PointwiseExpression Left, PointwiseExpression Right) : PointwiseExpression
{
    public override PointwiseExpression Rename(Func<string, string> rename) =>
        this with { Left = Left.Rename(rename), Right = Right.Rename(rename) };

    public override string ToString() => $"{IRPrinter.Name(Kind)}({Left}, {Right})";
}
