using System.Collections.Immutable;
using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary>Max or average pooling over the last 1, 2 or 3 axes (the spatial ones); every leading axis is a plane of its own.</summary>
/// <remarks>
/// <c>KernelSize</c>, <c>Stride</c>, <c>Padding</c>, <c>Dilation</c>: one entry per spatial axis, outermost first, as torch's
/// <c>max_pool2d_with_indices</c>, <c>avg_pool2d</c>… take them (dilation is 1 for average pooling). Output extents
/// follow torch's <c>pooling_output_shape</c> (<see cref="OutputExtent"/>), <c>CeilMode</c> included.
/// <c>CountIncludePad</c> and <c>DivisorOverride</c> matter for average pooling only.
/// </remarks>
public sealed record PoolOp(
    IRValue Result,
    PoolKind Kind,
    string Source,
    ImmutableArray<long> KernelSize,
    ImmutableArray<long> Stride,
    ImmutableArray<long> Padding,
    ImmutableArray<long> Dilation,
    bool CeilMode,
    bool CountIncludePad,
    long? DivisorOverride) : Operation(Result)
{
    public int SpatialRank => KernelSize.Length;

    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe()
    {
        var text = Invariant($"{(Kind == PoolKind.Max ? "max_pool" : "avg_pool")}(%{Source}, kernel={List(KernelSize)}, stride={List(Stride)}, padding={List(Padding)}");
        text += Kind == PoolKind.Max
            ? Invariant($", dilation={List(Dilation)}")
            : Invariant($", count_include_pad={CountIncludePad}, divisor={(DivisorOverride is { } d ? IRPrinter.Number(d) : "window")}");
        return text + Invariant($", ceil_mode={CeilMode})");
    }

    /// <summary>The shape pooling <paramref name="source"/> gives: its leading axes, then one output extent per spatial axis.</summary>
    public Shape OutputShape(Shape source) =>
        Shape.Of([.. source.Extents[..^SpatialRank], .. Enumerable.Range(0, SpatialRank).Select(i =>
            OutputExtent(source.Extents[source.Rank - SpatialRank + i], KernelSize[i], Stride[i], Padding[i], Dilation[i], CeilMode))]);

    /// <summary>Torch's <c>pooling_output_shape</c>: floor (or ceil) division, and with ceil mode no window that starts in the right padding.</summary>
    public static long OutputExtent(long input, long kernel, long stride, long padding, long dilation, bool ceilMode)
    {
        var numerator = input + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        var output = (numerator >= 0 ? numerator / stride : -((-numerator + stride - 1) / stride)) + 1;
        if (ceilMode && (output - 1) * stride >= input + padding)
        {
            output--;
        }

        return output;
    }

    private static string List(ImmutableArray<long> values) => "[" + string.Join(", ", values.Select(v => IRPrinter.Number(v))) + "]";
}
