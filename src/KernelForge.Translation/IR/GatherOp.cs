using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary>
/// <c>torch.gather(source, axis, index)</c>: result element c reads the source at c, except along <see cref="Axis"/>, where it
/// reads position <c>index[c]</c> (cross entropy's pick of each row's target class, multi-margin loss's target score).
/// </summary>
/// <remarks>
/// The result has the source's rank and no larger extents off the axis. The index has the result's rank, and each of its
/// extents is the result's or, off the axis, 1: an index of the result's shape is <c>torch.gather</c>; one broadcast along
/// the other axes (a <c>[1, K, 1]</c> index for a <c>[A, K, B]</c> result) picks the same positions in every row, which is
/// <c>index_select</c> and <c>embedding</c>. <see cref="Index"/>
/// is int64, read as <c>int64_t</c> (labels as the graph gives them: one of the two int64 readers besides views, with
/// <see cref="ConvertOp"/>), or float32 holding integers (labels the importer converted, aranges), in which case the axis has
/// at most 2^24 positions, so every in-range float index is exact and a rounded label stays out of range. An index outside
/// <c>[0, extent)</c> reads nothing and gives NaN (torch raises an error there).
/// </remarks>
public sealed record GatherOp(IRValue Result, string Source, string Index, int Axis) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [Source, Index];

    public override Operation RenameOperands(Func<string, string> rename) => this with { Source = rename(Source), Index = rename(Index) };

    public override string Describe() => Invariant($"gather(%{Source}, axis={Axis}, %{Index})");
}
