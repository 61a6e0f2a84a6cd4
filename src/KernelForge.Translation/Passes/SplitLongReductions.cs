using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Splits a reduction with few outputs over a long axis into two: chunks reduced in parallel, then the chunk results.</summary>
/// <remarks>
/// A loss or a norm over a whole tensor has one output, and a reduction kernel gives each output one block (or one
/// column): one block would walk gigabytes alone. With the axis viewed as <c>[C, L / C]</c> (C the largest divisor of L up
/// to <see cref="MaxChunks"/> that leaves chunks of at least <see cref="MinChunkLength"/>), the first reduction has C
/// times the outputs and the second reduces C values. Exact for the kinds where reducing partial results gives the whole
/// result: sum, max, min, prod, L1 norm (of partial L1 norms), L2 norm (of partial L2 norms), logsumexp (of partial
/// logsumexps), and mean (of means over equal chunks). Variance, std, argmax and argmin are left alone.
/// </remarks>
public sealed class SplitLongReductions : IGraphPass
{
    /// <summary>Reductions with at least this many outputs already fill the GPU; they are not split.</summary>
    public const long ManyOutputs = 1024;

    /// <summary>The reduced axis must be at least this long for a split to pay for the second launch.</summary>
    public const long MinLength = 1L << 16;

    public const long MaxChunks = 1024;

    public const long MinChunkLength = 2048;

    public string Name => nameof(SplitLongReductions);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var values = graph.Values();
        var names = new HashSet<string>(values.Keys, StringComparer.Ordinal);
        var operations = new List<Operation>();
        foreach (var operation in graph.Operations)
        {
            if (operation is ReductionOp reduction && Chunks(reduction, values[reduction.Source].Shape) is { } chunks)
            {
                operations.AddRange(Split(reduction, values[reduction.Source], chunks, names));
            }
            else
            {
                operations.Add(operation);
            }
        }

        return graph with { Operations = [.. operations] };
    }

    private static long? Chunks(ReductionOp reduction, Shape source)
    {
        if (reduction.Kind is not (ReductionKind.Sum or ReductionKind.Mean or ReductionKind.Max or ReductionKind.Min or ReductionKind.Prod
            or ReductionKind.L1Norm or ReductionKind.L2Norm or ReductionKind.LogSumExp))
        {
            return null;
        }

        var length = source[reduction.Axis];
        if (length < MinLength || source.ElementCount / length >= ManyOutputs)
        {
            return null;
        }

        for (var chunks = Math.Min(MaxChunks, length / MinChunkLength); chunks >= 2; chunks--)
        {
            if (length % chunks == 0)
            {
                return chunks;
            }
        }

        return null;
    }

    private static IEnumerable<Operation> Split(ReductionOp reduction, IRValue source, long chunks, HashSet<string> names)
    {
        var axis = reduction.Axis;
        var extents = source.Shape.Extents;
        var viewed = new IRValue(FreshNames.Take(names, reduction.Result.Name + "_chunked"), Shape.Of([.. extents[..axis], chunks, extents[axis] / chunks, .. extents[(axis + 1)..]]), source.DataType);
        var partial = new IRValue(FreshNames.Take(names, reduction.Result.Name + "_partial"), Shape.Of([.. extents.SetItem(axis, chunks)]), reduction.Result.DataType);
        yield return new ReshapeOp(viewed, source.Name) { Origins = reduction.Origins };
        yield return new ReductionOp(partial, reduction.Kind, viewed.Name, axis + 1) { Origins = reduction.Origins };
        yield return reduction with { Source = partial.Name };
    }
}
