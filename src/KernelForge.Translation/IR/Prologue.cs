namespace KernelForge.Translation.IR;

/// <summary>
/// An elementwise chain a reduction computes for each element it reads, instead of loading a stored source (prologue fusion).
/// </summary>
/// <remarks>
/// <see cref="SourceShape"/> is the shape the reduction sees (its axis indexes it); <see cref="ExpressionShape"/> is the
/// chain's own shape (the same elements, perhaps before a reshape), to which the loads broadcast. Element k of the source
/// is the chain's element k. Made by <see cref="Passes.FusePrologues"/>; saves writing the chain's result and reading it back.
/// </remarks>
public sealed record Prologue(PointwiseExpression Expression, Shape SourceShape, Shape ExpressionShape)
{
    public IReadOnlyList<string> Loads => PointwiseExpression.LoadsOf(Expression);

    public Prologue Rename(Func<string, string> rename) => this with { Expression = Expression.Rename(rename) };

    public override string ToString() => Expression.ToString();
}
