using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>Views and copies of contiguous tensors: reshape-like ops alias memory, <c>expand</c> becomes a broadcast copy.</summary>
internal sealed partial class AtenImporter
{
    private bool ImportReshape(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "size", out var size)))
        {
            return false;
        }

        if (size is null)
        {
            return Unsupported(node, "size must be a list of integers");
        }

        var inferred = size.Count(s => s == -1);
        var known = size.Where(s => s != -1).Aggregate(1L, (p, s) => p * s);
        var count = x.Shape.ElementCount;
        if (inferred > 1 || size.Any(s => s < -1) || (inferred == 1 ? known == 0 || count % known != 0 : known != count))
        {
            _diagnostics.Error(node.Name, $"cannot view {x.Shape} as {Shape.Of(size)}.");
            return false;
        }

        var shape = Shape.Of([.. size.Select(s => s == -1 ? count / known : s)]);
        Emit(node, new ReshapeOp(new IRValue(node.Name, shape, x.DataType), x.Name));
        return true;
    }

    private bool ImportSqueeze(ExportedNode node)
    {
        var unsqueeze = node.Target == "aten.unsqueeze.default";
        long[]? dims = null;
        if (!(TryTensor(node, 0, "self", out var x) & (node.Target == "aten.squeeze.default" || TryIntList(node, 1, "dim", out dims))))
        {
            return false;
        }

        var extents = x.Shape.Extents.ToList();
        if (unsqueeze)
        {
            if (dims is not [var dim] || !TryAxis(node, dim, x.Shape.Rank + 1, out var axis))
            {
                return dims is [_] ? false : Unsupported(node, "dim must be one integer");
            }

            extents.Insert(axis, 1);
        }
        else
        {
            var axes = new SortedSet<int>();
            foreach (var dim in dims ?? [.. Enumerable.Range(0, x.Shape.Rank).Select(i => (long)i)])
            {
                if (!TryAxis(node, dim, x.Shape.Rank, out var axis))
                {
                    return false;
                }

                axes.Add(axis);
            }

            foreach (var axis in axes.Reverse().Where(a => a < extents.Count && extents[a] == 1))
            {
                extents.RemoveAt(axis);
            }
        }

        Emit(node, new ReshapeOp(new IRValue(node.Name, Shape.Of([.. extents]), x.DataType), x.Name));
        return true;
    }

    /// <summary>clone, alias, detach, _to_copy (float32 to float32): the same values; aliasing is safe because nothing writes in place.</summary>
    private bool ImportCopy(ExportedNode node)
    {
        if (!TryTensor(node, 0, "self", out var x) || !IsFloat32OrAbsent(node, "dtype"))
        {
            return false;
        }

        if (x.DataType == DataType.Bool && node.Argument(KeywordOnly, "dtype") is DataTypeArgument { Name: "float32" })
        {
            // mask.float(): 1 or 0, a select that fuses into its readers (bools are never stored).
            Alias(node, BoolAsNumbers(node, x));
            return true;
        }

        if (x.DataType == DataType.Int64 && node.Argument(KeywordOnly, "dtype") is DataTypeArgument { Name: "float32" })
        {
            Emit(node, new ConvertOp(new IRValue(node.Name, x.Shape, DataType.Float32), x.Name));
            return true;
        }

        if (node.Argument(KeywordOnly, "memory_format") is TextArgument { Value: var format } && format is not ("contiguous_format" or "preserve_format"))
        {
            return Unsupported(node, $"memory_format {format} (only contiguous tensors are)");
        }

        Emit(node, new ReshapeOp(x with { Name = node.Name }, x.Name));
        return true;
    }

    private bool ImportExpand(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "size", out var size)))
        {
            return false;
        }

        if (size is null)
        {
            return Unsupported(node, "size must be a list of integers");
        }

        var offset = size.Length - x.Shape.Rank;
        var shape = offset < 0 ? null : Shape.Of([.. size.Select((s, i) => s == -1 && i >= offset ? x.Shape[i - offset] : s)]);
        if (shape is null || !Broadcasting.BroadcastsTo(x.Shape, shape))
        {
            _diagnostics.Error(node.Name, $"cannot expand {x.Shape} to {Shape.Of(size)}.");
            return false;
        }

        Emit(node, new UnaryOp(new IRValue(node.Name, shape, x.DataType), UnaryOpKind.Identity, x.Name));
        return true;
    }

    /// <summary>
    /// <c>repeat(self, repeats)</c>: tiles the tensor. Viewed as <c>[1, s0, 1, s1, …]</c>, broadcast to <c>[r0, s0, r1, s1, …]</c>
    /// (a copy), then viewed as <c>[r0·s0, r1·s1, …]</c>: element (i, j) reads <c>x[j]</c>, as torch's tiling does.
    /// </summary>
    private bool ImportRepeat(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "repeats", out var repeats)))
        {
            return false;
        }

        if (repeats is null || repeats.Length < x.Shape.Rank || repeats.Any(r => r < 0))
        {
            _diagnostics.Error(node.Name, $"{node.Target}: repeats [{string.Join(", ", repeats ?? [])}] must be non-negative, one per dim of {x.Shape} at least; torch refuses it too.");
            return false;
        }

        var source = Enumerable.Repeat(1L, repeats.Length - x.Shape.Rank).Concat(x.Shape.Extents).ToArray();
        var interleaved = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_tiles"), Shape.Of([.. source.SelectMany(e => new[] { 1L, e })]), x.DataType), x.Name), isNodeResult: false);
        var tiled = Emit(node, new UnaryOp(new IRValue(FreshName(node.Name + "_tiled"), Shape.Of([.. source.SelectMany((e, i) => new[] { repeats[i], e })]), x.DataType), UnaryOpKind.Identity, interleaved.Name), isNodeResult: false);
        Emit(node, new ReshapeOp(new IRValue(node.Name, Shape.Of([.. source.Select((e, i) => e * repeats[i])]), x.DataType), tiled.Name));
        return true;
    }
}
