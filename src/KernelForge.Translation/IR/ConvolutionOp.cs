using System.Collections.Immutable;
using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary>
/// A 1-d, 2-d or 3-d convolution or transposed convolution of an <c>[N, C_in, spatial…]</c> input, as <c>aten.convolution</c>
/// computes it (conv1d/2d/3d and conv_transpose1d/2d/3d all export to it).
/// </summary>
/// <remarks>
/// <c>Weight</c>: <c>[C_out, C_in / groups, kernel…]</c>, or for a transposed convolution <c>[C_in, C_out / groups, kernel…]</c>.<br/>
/// <c>Bias</c>: <c>[C_out]</c>, added to every output of its channel; none when the module has <c>bias=False</c>.<br/>
/// <c>Stride</c>, <c>Padding</c>, <c>Dilation</c>, <c>OutputPadding</c>: one entry per spatial axis, outermost first, as torch takes
/// them; output padding is zero unless <c>Transposed</c>. Output extents follow torch's <c>conv_output_size</c> and
/// <c>conv_input_size</c> (<see cref="OutputExtent"/>). Accumulation is in float32, one fused multiply-add per term.
/// </remarks>
public sealed record ConvolutionOp(
    IRValue Result,
    string Input,
    string Weight,
    string? Bias,
    ImmutableArray<long> Stride,
    ImmutableArray<long> Padding,
    ImmutableArray<long> Dilation,
    bool Transposed,
    ImmutableArray<long> OutputPadding,
    long Groups) : Operation(Result)
{
    public int SpatialRank => Stride.Length;

    /// <summary>An elementwise chain applied as each result is stored, or null; see <see cref="IR.Epilogue"/>.</summary>
    public Epilogue? Epilogue { get; init; }

    public override IReadOnlyList<string> Operands => [Input, Weight, .. Bias is null ? [] : new[] { Bias }, .. Epilogue?.Loads ?? []];

    public override Operation RenameOperands(Func<string, string> rename) =>
        this with { Input = rename(Input), Weight = rename(Weight), Bias = Bias is null ? null : rename(Bias), Epilogue = Epilogue?.Rename(rename) };

    public override string Describe() =>
        Invariant($"{(Transposed ? "conv_transpose" : "conv")}{SpatialRank}d(%{Input}, %{Weight}, bias={IRPrinter.Optional(Bias)}, stride={List(Stride)}, padding={List(Padding)}, dilation={List(Dilation)}")
        + (Transposed ? $", output_padding={List(OutputPadding)}" : "")
        + Invariant($", groups={Groups}")
        + (Epilogue is null ? ")" : $", epilogue={Epilogue})");

    /// <summary>The kernel's extents, from the weight's shape.</summary>
    public static ImmutableArray<long> KernelSize(Shape weight, int spatialRank) => weight.Extents[^spatialRank..];

    /// <summary>
    /// The output of convolving <paramref name="input"/> with <paramref name="weight"/>: <c>[N, C_out, extents…]</c>, or null when the
    /// channels or groups do not fit together or an extent would be below 1 (torch refuses those too).
    /// </summary>
    public Shape? OutputShape(Shape input, Shape weight)
    {
        var rank = SpatialRank;
        if (input.Rank != rank + 2 || weight.Rank != rank + 2 || Groups < 1 || input[1] % Groups != 0)
        {
            return null;
        }

        var channels = Transposed ? weight[1] * Groups : weight[0];
        var weightInputChannels = Transposed ? weight[0] : weight[1] * Groups;
        if (weightInputChannels != input[1] || channels % Groups != 0)
        {
            return null;
        }

        var kernel = KernelSize(weight, rank);
        var extents = new long[rank + 2];
        (extents[0], extents[1]) = (input[0], channels);
        for (var d = 0; d < rank; d++)
        {
            extents[d + 2] = OutputExtent(input[d + 2], kernel[d], Stride[d], Padding[d], Dilation[d], Transposed, OutputPadding[d]);
            if (extents[d + 2] < 1)
            {
                return null;
            }
        }

        return Shape.Of(extents);
    }

    /// <summary>
    /// Torch's <c>conv_output_size</c>, <c>(in + 2p - d(k - 1) - 1) / s + 1</c> rounded down, or for a transposed convolution its
    /// <c>conv_input_size</c>, <c>(in - 1)s - 2p + d(k - 1) + output_padding + 1</c>.
    /// </summary>
    public static long OutputExtent(long input, long kernel, long stride, long padding, long dilation, bool transposed, long outputPadding)
    {
        if (transposed)
        {
            return (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
        }

        var numerator = input + 2 * padding - dilation * (kernel - 1) - 1;
        return numerator < 0 ? 0 : numerator / stride + 1;
    }

    private static string List(ImmutableArray<long> values) => "[" + string.Join(", ", values.Select(v => IRPrinter.Number(v))) + "]";
}
