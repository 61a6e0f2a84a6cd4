using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Moves the elementwise chain that feeds a reduction into the reduction's loads (a prologue), as losses and norms need.</summary>
/// <remarks>
/// Applies to one-pass reductions (sum, mean, max, min, prod, L1 and L2 norms) whose source is a <see cref="FusedPointwiseOp"/>,
/// possibly seen through reshapes, when every value on that path has the next one as its only reader and is not an output.
/// The reduction then computes each element from the chain's loads; the chain and the reshapes become dead and
/// <see cref="EliminateDeadValues"/> removes them. Saves writing the chain's result and reading it back
/// (<c>mean((p - t)²)</c> reads p and t once). Two-pass and index reductions read their source more than once and keep it.
/// </remarks>
public sealed class FusePrologues : IGraphPass
{
    public string Name => nameof(FusePrologues);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producers = graph.Producers();
        var values = graph.Values();
        var uses = graph.UseCounts();

        // Read once, by one operation, and not an output (the reshapes and reductions on the path read one operand).
        bool Private(string name) => uses.GetValueOrDefault(name) == 1;

        var operations = graph.Operations.Select(operation =>
        {
            if (operation is not ReductionOp { Prologue: null } reduction || !IsOnePass(reduction.Kind))
            {
                return operation;
            }

            var origins = new List<string>();
            var name = reduction.Source;
            while (Private(name) && producers.TryGetValue(name, out var producer) && producer is ReshapeOp reshape)
            {
                origins.AddRange(reshape.Origins);
                name = reshape.Source;
            }

            if (!Private(name) || !producers.TryGetValue(name, out var chain) || chain is not FusedPointwiseOp fused)
            {
                return operation;
            }

            var prologue = new Prologue(fused.Expression, values[reduction.Source].Shape, fused.Result.Shape);
            return (reduction with { Prologue = prologue }).WithOrigins([.. origins, .. fused.Origins]);
        });
        return graph with { Operations = [.. operations] };
    }

    private static bool IsOnePass(ReductionKind kind) =>
        kind is ReductionKind.Sum or ReductionKind.Mean or ReductionKind.Max or ReductionKind.Min or ReductionKind.Prod or ReductionKind.L1Norm or ReductionKind.L2Norm;
}
