namespace KernelForge.Translation.IR;

/// <summary>A literal; emitted as a float32 literal, as torch converts Python scalars for float32 tensors.</summary>
public sealed record ConstantExpression(double Value) : PointwiseExpression
{
    public override PointwiseExpression Rename(Func<string, string> rename) => this;

    public override string ToString() => IRPrinter.Number(Value);
}
