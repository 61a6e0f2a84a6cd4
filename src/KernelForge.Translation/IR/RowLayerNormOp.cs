namespace KernelForge.Translation.IR;

/// <summary>Layer norm over the last axis, <c>(x - mean) * rsqrt(var + eps) * weight + bias</c>, with biased variance.</summary>
/// <remarks>
/// <c>Weight</c>: A vector of the last axis's length, or null (no affine scale).<br/>
/// <c>Bias</c>: A vector of the last axis's length, or null.<br/>
/// </remarks>
public sealed record RowLayerNormOp(IRValue Result, string Source, string? Weight, string? Bias, double Epsilon) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source, .. Weight is null ? [] : new[] { Weight }, .. Bias is null ? [] : new[] { Bias }];

    public override Operation RenameOperands(Func<string, string> rename) =>
        this with { Source = rename(Source), Weight = Weight is null ? null : rename(Weight), Bias = Bias is null ? null : rename(Bias) };

    public override string Describe() =>
        $"row_layer_norm(%{Source}, weight={IRPrinter.Optional(Weight)}, bias={IRPrinter.Optional(Bias)}, eps={IRPrinter.Number(Epsilon)})";
}
