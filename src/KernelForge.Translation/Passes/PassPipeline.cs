using System.Collections.Immutable;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>An ordered list of passes; <see cref="Default"/> is the one place where the translator's passes are composed.</summary>
public sealed class PassPipeline(ImmutableArray<IGraphPass> passes)
{
    /// <summary>
    /// Views first (so patterns see through them), then transposes into the matmuls reading them, then flip-scan-flip into reverse scans, then the slices scans read and the constant pads of their results into the scans, then products with diagonal matrices into scales and products with one row or column into sums, then normalization patterns (they match single ops, so they must run
    /// before fusion merges them), then softmaxes read only by a gather into picks, then long reductions with few outputs split in two, then outputs that need their own copy, then elementwise fusion, then the chains after matmuls and convolutions into their stores and the chains before reductions into their loads; dead values go twice.
    /// </summary>
    public static PassPipeline Default { get; } = new(
    [
        new FoldViews(),
        new FoldTransposes(),
        new FoldFlips(),
        new FuseScanWindows(),
        new RecognizeDiagonalMasks(),
        new SimplifyDiagonalProducts(),
        new SimplifyVectorProducts(),
        new FuseNormalization(),
        new FuseSoftmaxGather(),
        new SplitLongReductions(),
        new EliminateDeadValues(),
        new MaterializeOutputs(),
        new FuseElementwise(),
        new FuseEpilogues(),
        new FusePrologues(),
        new EliminateDeadValues(),
    ]);

    public ImmutableArray<IGraphPass> Passes { get; } = passes;

    /// <summary>Runs every pass in order; <paramref name="afterEach"/> sees each pass's result (tests verify it there).</summary>
    public IRGraph Run(IRGraph graph, Action<IGraphPass, IRGraph>? afterEach = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (var pass in Passes)
        {
            graph = pass.Run(graph);
            afterEach?.Invoke(pass, graph);
        }

        return graph;
    }
}
