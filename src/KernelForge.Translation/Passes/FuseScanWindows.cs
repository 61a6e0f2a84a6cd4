using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Lets a scan read the slices it scans in place and write the constant pad around its result itself, so neither is copied.</summary>
/// <remarks>
/// <para>
/// Reads: a scan of a slice (of a slice, of a view of one…) reads the sliced tensor in place through a <see cref="StridedView"/>.
/// </para>
/// <para>
/// Results: when a scan's result has one reader and is not returned, that reader becomes part of the scan, which takes over
/// its result name. A constant pad becomes the scan's <see cref="ConstantBorder"/>: the scan writes at the pad's offset and
/// fills the rest (a pad of a pad with the same value composes). A slice moves into the scan's reads when the elements it
/// keeps depend only on elements it keeps: it cuts another axis, or keeps a start of the axis for a forward scan (an end for
/// a reverse one), step 1. A view that only adds or drops axes of extent 1 moves before the scan.
/// </para>
/// <para>
/// So <c>F.pad(torch.cumsum(x[:, :-1], 1), (1, 0))</c>, an exclusive cumsum, is one kernel reading x and writing the
/// output: no slice copy, no workspace for the scan, no pad copy. The replaced operations stay for any other reader;
/// <see cref="EliminateDeadValues"/> drops them otherwise.
/// </para>
/// </remarks>
public sealed class FuseScanWindows : IGraphPass
{
    public string Name => nameof(FuseScanWindows);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var values = graph.Values();
        var uses = graph.UseCounts();
        var current = new Dictionary<string, Operation>(StringComparer.Ordinal);
        var operations = new List<Operation>(graph.Operations.Length);
        foreach (var operation in graph.Operations)
        {
            var rewritten = operation switch
            {
                ScanOp { SourceView: null, Border: null } scan => ReadInPlace(scan),
                _ when operation.Operands is [var source] && uses.GetValueOrDefault(source) == 1
                    && current.GetValueOrDefault(source) is ScanOp scan => Absorb(scan, operation),
                _ => null,
            } ?? operation;
            current[rewritten.Result.Name] = rewritten;
            operations.Add(rewritten);
        }

        return graph with { Operations = [.. operations] };

        // The scan reading the tensor its source was sliced from, when a slice is on the way; it reports the slices and views.
        ScanOp? ReadInPlace(ScanOp scan)
        {
            var (root, view, crossed) = Resolve(scan.Source);
            return crossed.Any(o => o is SliceOp)
                ? Normalized((ScanOp)(scan with { Source = root, SourceView = view }).WithOrigins(crossed.SelectMany(o => o.Origins)))
                : null;
        }

        // The value whose memory holds `name`, where in it `name` lies, and the slices and views on the way.
        (string Root, StridedView View, IEnumerable<Operation> Crossed) Resolve(string name)
        {
            var shape = values[name].Shape;
            switch (current.GetValueOrDefault(name))
            {
                case SliceOp slice:
                    var (root, view, crossed) = Resolve(slice.Source);
                    return (root, view.Slice(slice.Axis, slice.Start, slice.Step, shape[slice.Axis]), crossed.Append(slice));
                case ReshapeOp reshape when Resolve(reshape.Source) is var inner && inner.View.Reshape(shape) is { } reshaped:
                    return (inner.Root, reshaped, inner.Crossed.Append(reshape));
                default:
                    return (name, StridedView.Contiguous(shape), []);
            }
        }

        // No view when it is all of the source as it lies: the plain scan.
        ScanOp Normalized(ScanOp scan) =>
            scan.SourceView is { ElementOffset: 0, IsContiguous: true } view && view.Shape == values[scan.Source].Shape
                ? scan with { SourceView = null }
                : scan;

        ScanOp? Absorb(ScanOp scan, Operation reader)
        {
            var absorbed = reader switch
            {
                PadOp pad => Pad(scan, pad),
                SliceOp slice => Slice(scan, slice),
                ReshapeOp reshape => Reshape(scan, reshape),
                _ => null,
            };
            return absorbed is null ? null : Normalized((ScanOp)(absorbed with { Result = reader.Result }).WithOrigins(reader.Origins));
        }
    }

    /// <summary>A scan of the sliced view when every element the slice keeps depends only on elements it keeps.</summary>
    private static ScanOp? Slice(ScanOp scan, SliceOp slice)
    {
        var extent = scan.ScannedShape[slice.Axis];
        var length = slice.Result.Shape[slice.Axis];
        var keepsWhatItReads = slice.Axis != scan.Axis
            || (slice.Step == 1 && (scan.Reverse ? slice.Start + length == extent : slice.Start == 0));
        return scan.Border is null && keepsWhatItReads
            ? scan with { SourceView = ViewOf(scan).Slice(slice.Axis, slice.Start, slice.Step, length) }
            : null;
    }

    /// <summary>A scan writing the pad: its border, or a wider one of the same value.</summary>
    private static ScanOp? Pad(ScanOp scan, PadOp pad) => scan.Border switch
    {
        null => scan with { Border = new ConstantBorder(scan.Result.Shape, pad.Before, pad.Value) },
        { } border when BitConverter.DoubleToInt64Bits(border.Value) == BitConverter.DoubleToInt64Bits(pad.Value) =>
            scan with { Border = border with { Before = [.. border.Before.Select((b, d) => b + pad.Before[d])] } },
        _ => null,
    };

    /// <summary>A scan of the reshaped view when the reshape only adds or drops axes of extent 1 and keeps the scanned axis.</summary>
    private static ScanOp? Reshape(ScanOp scan, ReshapeOp reshape)
    {
        var (from, to) = (scan.ScannedShape, reshape.Result.Shape);
        var kept = Enumerable.Range(0, from.Rank).Where(d => from[d] != 1).ToList();
        var onto = Enumerable.Range(0, to.Rank).Where(d => to[d] != 1).ToList();
        if (scan.Border is not null || from[scan.Axis] == 1 || !kept.Select(d => from[d]).SequenceEqual(onto.Select(d => to[d])))
        {
            return null;
        }

        var view = ViewOf(scan).Reshape(to);
        return view is null ? null : scan with { Axis = onto[kept.IndexOf(scan.Axis)], SourceView = view };
    }

    /// <summary>The scan's source view, spelled out when it is implicit (all of the source, as it lies).</summary>
    private static StridedView ViewOf(ScanOp scan) => scan.SourceView ?? StridedView.Contiguous(scan.ScannedShape);
}
