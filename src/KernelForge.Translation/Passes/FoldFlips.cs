using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Makes <c>flip(scan(flip(x, d), d), d)</c>, how a reverse cumulative sum or product is written, one reverse scan of x.</summary>
/// <remarks>
/// The outer flip becomes the reverse scan (same result name and shape), reading the inner flip's source; the inner flip and
/// forward scan stay for any other reader, and <see cref="EliminateDeadValues"/> drops them when none is left. Saves two
/// full passes over memory. The reverse scan takes over the origins of all three.
/// </remarks>
public sealed class FoldFlips : IGraphPass
{
    public string Name => nameof(FoldFlips);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producers = graph.Producers();
        var operations = graph.Operations.Select(operation =>
            operation is FlipOp { Axes: [var axis] } outer
            && producers.TryGetValue(outer.Source, out var middle) && middle is ScanOp { Reverse: false, SourceView: null, Border: null } scan && scan.Axis == axis
            && producers.TryGetValue(scan.Source, out var first) && first is FlipOp { Axes: [var innerAxis] } inner && innerAxis == axis
                ? new ScanOp(outer.Result, scan.Kind, inner.Source, axis, Reverse: true) { Origins = outer.Origins }.WithOrigins([.. inner.Origins, .. scan.Origins])
                : operation);
        return graph with { Operations = [.. operations] };
    }
}
