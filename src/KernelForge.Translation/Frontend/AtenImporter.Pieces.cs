using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Ops that return a tuple of pieces of one tensor: split, split_with_sizes, unbind; getitem then reads a piece.</summary>
/// <remarks>
/// From native_functions.yaml: <c>split.Tensor(self, split_size, dim=0)</c>, <c>split_with_sizes(self, split_sizes, dim=0)</c>,
/// <c>unbind.int(self, dim=0)</c>. Each piece is a <see cref="SliceOp"/> (a copy kernel, only when something reads it:
/// <c>EliminateDeadValues</c> drops the others) or a free view when it is the whole tensor.
/// </remarks>
internal sealed partial class AtenImporter
{
    /// <summary><c>split.Tensor(self, split_size, dim=0)</c> and <c>split_with_sizes(self, split_sizes, dim=0)</c>: a tuple of slices, each a copy when read.</summary>
    private bool ImportSplit(ExportedNode node)
    {
        var withSizes = node.Target.Contains("split_with_sizes", StringComparison.Ordinal);
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, withSizes ? "split_sizes" : "split_size", out var sizes) & TryIntList(node, 2, "dim", out var dims)))
        {
            return false;
        }

        if (sizes is null or [] || x.Shape.Rank == 0 || dims is { Length: > 1 } || !TryAxis(node, dims is [var d] ? d : 0, x.Shape.Rank, out var axis))
        {
            return sizes is null or [] || x.Shape.Rank == 0 ? Unsupported(node, "split sizes of a tensor with dims") : false;
        }

        var extent = x.Shape[axis];
        var lengths = new List<long>();
        if (withSizes)
        {
            lengths.AddRange(sizes);
        }
        else
        {
            for (var start = 0L; start < extent; start += sizes[0])
            {
                lengths.Add(Math.Min(sizes[0], extent - start));
            }
        }

        if (lengths.Any(l => l < 1) || lengths.Sum() != extent)
        {
            _diagnostics.Error(node.Name, Invariant($"{node.Target}: pieces [{string.Join(", ", lengths)}] do not cover dim {axis} of {x.Shape}; torch refuses it too."));
            return false;
        }

        var pieces = new List<(IRValue? Value, string? Reason)>();
        var offset = 0L;
        foreach (var length in lengths)
        {
            var shape = Shape.Of([.. x.Shape.Extents.SetItem(axis, length)]);
            var name = FreshName(Invariant($"{node.Name}_{pieces.Count}"));
            pieces.Add((Emit(node, length == extent
                ? new ReshapeOp(x with { Name = name }, x.Name)
                : new SliceOp(new IRValue(name, shape, x.DataType), x.Name, axis, offset, 1), isNodeResult: false), null));
            offset += length;
        }

        _tuples[node.Name] = [.. pieces];
        return true;
    }

    /// <summary><c>unbind.int(self, dim=0)</c>: a tuple of <c>select(self, dim, i)</c> for every i, each a slice of extent 1 viewed without the axis.</summary>
    private bool ImportUnbind(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims)))
        {
            return false;
        }

        if (dims is { Length: > 1 } || x.Shape.Rank == 0)
        {
            return Unsupported(node, "dim must be one integer, of a tensor with dims");
        }

        if (!TryAxis(node, dims is [var d] ? d : 0, x.Shape.Rank, out var axis))
        {
            return false;
        }

        var extent = x.Shape[axis];
        var sliceShape = Shape.Of([.. x.Shape.Extents.SetItem(axis, 1)]);
        var pieceShape = Shape.Of([.. x.Shape.Extents.RemoveAt(axis)]);
        var pieces = new (IRValue? Value, string? Reason)[extent];
        for (var i = 0; i < extent; i++)
        {
            var name = FreshName(Invariant($"{node.Name}_{i}"));
            var slice = extent == 1 ? x : Emit(node, new SliceOp(new IRValue(FreshName(name + "_slice"), sliceShape, x.DataType), x.Name, axis, i, 1), isNodeResult: false);
            pieces[i] = (Emit(node, new ReshapeOp(new IRValue(name, pieceShape, x.DataType), slice.Name), isNodeResult: false), null);
        }

        _tuples[node.Name] = pieces;
        return true;
    }
}
