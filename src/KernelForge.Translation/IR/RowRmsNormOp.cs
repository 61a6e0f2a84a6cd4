namespace KernelForge.Translation.IR;

/// <summary>RMS norm over the last axis, <c>x / sqrt(mean(x²) + eps) * weight</c> (or the rsqrt form), recognized by <c>FuseNormalization</c>.</summary>
/// <remarks><c>Weight</c>: A vector of the last axis's length, or null.</remarks>
public sealed record RowRmsNormOp(IRValue Result, string Source, string? Weight, double Epsilon, RmsNormForm Form) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => Weight is null ? [Source] : [Source, Weight];

    public override Operation RenameOperands(Func<string, string> rename) =>
        this with { Source = rename(Source), Weight = Weight is null ? null : rename(Weight) };

    public override string Describe() =>
        $"row_rms_norm(%{Source}, weight={IRPrinter.Optional(Weight)}, eps={IRPrinter.Number(Epsilon)}, form={Form})";
}
