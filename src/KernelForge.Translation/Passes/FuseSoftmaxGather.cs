using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Replaces a row softmax or log-softmax read only by a gather on its last axis with one <see cref="RowSoftmaxPickOp"/>.</summary>
/// <remarks>
/// Cross entropy exports as <c>gather(log_softmax(logits, -1), -1, labels)</c>: written out, the whole log-softmax is stored
/// and read back to use one element per row. The pick reads each row once and stores only the picked elements. The
/// softmax must not be an output or read by anything else, and the index must have one row per softmax row (a gather
/// may read fewer rows); the softmax then becomes dead and <see cref="EliminateDeadValues"/> removes it.
/// </remarks>
public sealed class FuseSoftmaxGather : IGraphPass
{
    public string Name => nameof(FuseSoftmaxGather);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producers = graph.Producers();
        var values = graph.Values();
        var uses = graph.UseCounts();
        var operations = graph.Operations.Select(operation =>
        {
            if (operation is not GatherOp gather || uses.GetValueOrDefault(gather.Source) != 1
                || !producers.TryGetValue(gather.Source, out var producer) || producer is not RowSoftmaxOp softmax)
            {
                return operation;
            }

            var (source, index) = (values[gather.Source].Shape, values[gather.Index].Shape);
            if (gather.Axis != source.Rank - 1 || index != gather.Result.Shape || !index.Extents[..^1].SequenceEqual(source.Extents[..^1]))
            {
                return operation;
            }

            return new RowSoftmaxPickOp(gather.Result, softmax.Source, gather.Index, softmax.IsLog) { Origins = gather.Origins }.WithOrigins(softmax.Origins);
        });
        return graph with { Operations = [.. operations] };
    }
}
