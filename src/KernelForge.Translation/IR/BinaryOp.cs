namespace KernelForge.Translation.IR;

/// <summary>An elementwise function of two tensors, each broadcast (right-aligned, as torch) to the result's shape.</summary>
public sealed record BinaryOp(IRValue Result, BinaryOpKind Kind, string Left, string Right) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Left, Right];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Left = rename(Left), Right = rename(Right) };

    public override string Describe() => $"{IRPrinter.Name(Kind)}(%{Left}, %{Right})";

    /// <summary>True for the kinds whose result is bool: comparisons (of float32 operands) and logical and/or.</summary>
    public static bool IsPredicate(BinaryOpKind kind) => kind >= BinaryOpKind.Greater;
}
