using System.Collections.Immutable;
using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary>Adaptive max or average pooling over the last 1, 2 or 3 axes to a given output size; every leading axis is a plane of its own.</summary>
/// <remarks>
/// <c>OutputSize</c>: one extent per spatial axis, outermost first, as torch's <c>_adaptive_avg_pool2d</c> and
/// <c>adaptive_max_pool2d</c> take it. Output index <c>o</c> of an axis of input extent <c>I</c> and output extent <c>O</c>
/// covers the input <c>[floor(o * I / O), ceil((o + 1) * I / O))</c> (ATen's <c>start_index</c> and <c>end_index</c>), so
/// windows differ in length and neighbours may overlap by one. The frontend keeps this op for the sizes that need it: when
/// every <c>I</c> is a multiple of its <c>O</c>, the windows are a <see cref="PoolOp"/>'s (kernel = stride = <c>I / O</c>).
/// Average divides the window's float sum by its element count; max is NaN-propagating, as <see cref="PoolKind"/> says.
/// </remarks>
public sealed record AdaptivePoolOp(IRValue Result, PoolKind Kind, string Source, ImmutableArray<long> OutputSize) : Operation(Result)
{
    public int SpatialRank => OutputSize.Length;

    public override IReadOnlyList<string> Operands => [Source];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source) };

    public override string Describe() =>
        Invariant($"{(Kind == PoolKind.Max ? "adaptive_max_pool" : "adaptive_avg_pool")}(%{Source}, output_size=[{string.Join(", ", OutputSize.Select(e => IRPrinter.Number(e)))}])");

    /// <summary>The shape pooling <paramref name="source"/> gives: its leading axes, then <see cref="OutputSize"/>.</summary>
    public Shape OutputShape(Shape source) => Shape.Of([.. source.Extents[..^SpatialRank], .. OutputSize]);

    /// <summary>The first input index the window of output index <paramref name="output"/> covers: <c>floor(output * input / outputs)</c>.</summary>
    public static long WindowStart(long output, long input, long outputs) => output * input / outputs;

    /// <summary>One past the last input index the window of output index <paramref name="output"/> covers: <c>ceil((output + 1) * input / outputs)</c>.</summary>
    public static long WindowEnd(long output, long input, long outputs) => ((output + 1) * input + outputs - 1) / outputs;
}
