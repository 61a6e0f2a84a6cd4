using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Max and average pooling over 1, 2 or 3 spatial axes, with torch's argument defaults and checks.</summary>
/// <remarks>
/// torch.export turns <c>max_pool1d</c> and <c>avg_pool1d</c> into an unsqueeze, the 2-d op with a kernel of height 1, and a
/// squeeze; the 1-d targets are read too, in case a graph keeps them. Of <c>max_pool*d_with_indices</c> only the values are supported.
/// </remarks>
internal sealed partial class AtenImporter
{
    private bool ImportMaxPool(ExportedNode node)
    {
        var rank = SpatialRank(node.Target);
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "kernel_size", out var kernel) & TryIntList(node, 2, "stride", out var stride)
            & TryIntList(node, 3, "padding", out var padding) & TryIntList(node, 4, "dilation", out var dilation)
            & TryBool(node, 5, "ceil_mode", false, out var ceilMode);
        if (!ok || Window(node, rank, kernel, stride, padding, dilation) is not { } window)
        {
            return false;
        }

        var operation = new PoolOp(new IRValue(node.Name, Shape.Scalar, x.DataType), PoolKind.Max, x.Name, window.Kernel, window.Stride, window.Padding, window.Dilation,
            ceilMode, CountIncludePad: true, DivisorOverride: null);
        if (Shaped(node, operation, x) is not { } shaped)
        {
            return false;
        }

        if (!node.Target.Contains("_with_indices", StringComparison.Ordinal))
        {
            Emit(node, shaped);
            return true;
        }

        var values = Emit(node, shaped, isNodeResult: false);
        CheckMeta(node, values, node.Results[0]);
        _tuples[node.Name] = [(values, null), (null, "the indices of max pooling (for max_unpool or training) are not supported yet")];
        return true;
    }

    private bool ImportAvgPool(ExportedNode node)
    {
        var rank = SpatialRank(node.Target);
        double? divisor = null;
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "kernel_size", out var kernel) & TryIntList(node, 2, "stride", out var stride)
            & TryIntList(node, 3, "padding", out var padding) & TryBool(node, 4, "ceil_mode", false, out var ceilMode)
            & TryBool(node, 5, "count_include_pad", true, out var countIncludePad)
            & (rank == 1 || TryNumber(node, 6, "divisor_override", null, out divisor));
        if (!ok || Window(node, rank, kernel, stride, padding, dilationArgument: null) is not { } window)
        {
            return false;
        }

        if (divisor is { } d && (d != Math.Floor(d) || d < 1 || d > int.MaxValue))
        {
            return Unsupported(node, Invariant($"`divisor_override` = {IRPrinter.Number(d)}; it must be a positive integer"));
        }

        var operation = new PoolOp(new IRValue(node.Name, Shape.Scalar, x.DataType), PoolKind.Average, x.Name, window.Kernel, window.Stride, window.Padding, window.Dilation,
            ceilMode, countIncludePad, divisor is { } value ? (long)value : null);
        if (Shaped(node, operation, x) is not { } shaped)
        {
            return false;
        }

        Emit(node, shaped);
        return true;
    }

    private static int SpatialRank(string target) => target[target.IndexOf("pool", StringComparison.Ordinal) + 4] - '0';

    /// <summary>The operation with its result's shape, or null (and a diagnostic) when a window lies outside torch's limits.</summary>
    private PoolOp? Shaped(ExportedNode node, PoolOp operation, IRValue x)
    {
        var rank = operation.SpatialRank;
        if (x.Shape.Rank < rank + 1)
        {
            Unsupported(node, Invariant($"a {rank}-d pooling of a rank-{x.Shape.Rank} tensor (it needs a channel axis, or batch and channel, before the {rank} spatial ones)"));
            return null;
        }

        var shape = operation.OutputShape(x.Shape);
        if (shape.Extents[^rank..].Any(e => e < 1))
        {
            _diagnostics.Error(node.Name, $"pooling {x.Shape} with {operation.Describe()} leaves an output extent below 1 (torch refuses it too); check `kernel_size`, `padding` and `dilation`.");
            return null;
        }

        return operation with { Result = operation.Result with { Shape = shape } };
    }

    private sealed record PoolWindow(ImmutableArray<long> Kernel, ImmutableArray<long> Stride, ImmutableArray<long> Padding, ImmutableArray<long> Dilation);

    /// <summary>Each argument expanded to one entry per spatial axis (a single int repeats; an empty stride is the kernel), and checked as torch checks it.</summary>
    private PoolWindow? Window(ExportedNode node, int rank, long[]? kernelArgument, long[]? strideArgument, long[]? paddingArgument, long[]? dilationArgument)
    {
        if (kernelArgument is null or [])
        {
            Unsupported(node, "`kernel_size` is missing");
            return null;
        }

        if (Expand(node, "kernel_size", kernelArgument, rank, []) is not { } kernel
            || Expand(node, "stride", strideArgument, rank, kernel) is not { } stride
            || Expand(node, "padding", paddingArgument, rank, [.. Enumerable.Repeat(0L, rank)]) is not { } padding
            || Expand(node, "dilation", dilationArgument, rank, [.. Enumerable.Repeat(1L, rank)]) is not { } dilation)
        {
            return null;
        }

        string? problem = null;
        for (var i = 0; i < rank && problem is null; i++)
        {
            var effective = (kernel[i] - 1) * dilation[i] + 1;
            problem = kernel[i] < 1 ? Invariant($"`kernel_size` {kernel[i]} must be positive")
                : stride[i] < 1 ? Invariant($"`stride` {stride[i]} must be positive")
                : dilation[i] < 1 ? Invariant($"`dilation` {dilation[i]} must be positive")
                : padding[i] < 0 ? Invariant($"`padding` {padding[i]} must not be negative")
                : padding[i] * 2 > effective ? Invariant($"`padding` {padding[i]} is more than half the kernel ({effective}); torch refuses it too")
                : null;
        }

        if (problem is not null)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: {problem}.");
            return null;
        }

        return new PoolWindow(kernel, stride, padding, dilation);
    }

    private ImmutableArray<long>? Expand(ExportedNode node, string name, long[]? values, int rank, ImmutableArray<long> whenAbsent, string what = "pooling")
    {
        switch (values)
        {
            case null or []:
                return whenAbsent;
            case [var single]:
                return [.. Enumerable.Repeat(single, rank)];
            case var list when list.Length == rank:
                return [.. list];
            default:
                Unsupported(node, Invariant($"`{name}` has {values.Length} entries; a {rank}-d {what} takes 1 or {rank}"));
                return null;
        }
    }
}
