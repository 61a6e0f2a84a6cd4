namespace KernelForge.Translation.IR;

/// <summary>A scalar the exported graph passed as a number (e.g. the <c>1.5</c> of <c>aten.mul.Tensor(x, 1.5)</c>); a 0-d value.</summary>
/// <remarks>Fusion inlines constants as literals; they never take memory.</remarks>
public sealed record ConstantOp(IRValue Result, double Value) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [];

    public override Operation RenameOperands(Func<string, string> rename) => this;

    public override string Describe() => $"constant {IRPrinter.Number(Value)}";
}
