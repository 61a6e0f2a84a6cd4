namespace KernelForge.Translation.IR;

/// <summary>Reads a value of the graph at the element being computed (broadcast to the result's shape).</summary>
public sealed record LoadExpression(string Value) : PointwiseExpression
{
    public override PointwiseExpression Rename(Func<string, string> rename) => new LoadExpression(rename(Value));

    public override string ToString() => "%" + Value;
}
