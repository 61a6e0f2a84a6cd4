namespace KernelForge.Translation.IR;

/// <summary>
/// Batch norm with batch statistics: for each channel (axis 1 of <c>[N, C, spatial…]</c>), the mean and biased variance over every
/// other axis, then <c>(x - mean) · rsqrt(var + eps) · weight[c] + bias[c]</c>.
/// </summary>
/// <remarks>
/// What <c>nn.BatchNorm</c> computes with <c>track_running_stats=False</c> (or in training mode; the running-statistics update
/// is not part of the result). <c>Weight</c>, <c>Bias</c>: <c>[C]</c> vectors, or null.
/// </remarks>
public sealed record ChannelNormOp(IRValue Result, string Source, string? Weight, string? Bias, double Epsilon) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source, .. Weight is null ? [] : new[] { Weight }, .. Bias is null ? [] : new[] { Bias }];

    public override Operation RenameOperands(Func<string, string> rename) =>
        this with { Source = rename(Source), Weight = Weight is null ? null : rename(Weight), Bias = Bias is null ? null : rename(Bias) };

    public override string Describe() =>
        $"channel_batch_norm(%{Source}, weight={IRPrinter.Optional(Weight)}, bias={IRPrinter.Optional(Bias)}, eps={IRPrinter.Number(Epsilon)})";
}
