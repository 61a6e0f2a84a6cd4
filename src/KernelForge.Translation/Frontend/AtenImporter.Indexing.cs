using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>Selecting whole slices by an index tensor: index_select and embedding, each a <see cref="GatherOp"/> with a broadcast index.</summary>
/// <remarks>
/// From native_functions.yaml: <c>index_select(self, dim, index)</c> (index a vector or a scalar of int64),
/// <c>embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False)</c>. ATen's <c>embedding</c> is
/// <c>weight.index_select(0, indices.reshape(-1)).view(indices.shape + [D])</c>; <c>padding_idx</c>,
/// <c>scale_grad_by_freq</c> and <c>sparse</c> change only the gradient, so the forward ignores them. The index is read as
/// the gather reads any index: int64 as such, float32 aranges or labels below 2^24; a position outside the axis gives NaN
/// where torch raises an error.
/// </remarks>
internal sealed partial class AtenImporter
{
    private bool ImportIndexSelect(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "self", out var x) & TryIntList(node, 1, "dim", out var dims) & TryTensor(node, 2, "index", out var index);
        if (!ok)
        {
            return false;
        }

        if (dims is not [var dim] || x.Shape.Rank == 0)
        {
            return Unsupported(node, "dim must be one integer, of a tensor with dims");
        }

        if (!TryAxis(node, dim, x.Shape.Rank, out var axis))
        {
            return false;
        }

        if (index.Shape.Rank > 1)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: the index {index.Shape} is not a vector; torch refuses it too (\"Index is supposed to be a vector\").");
            return false;
        }

        // The index as a [1, …, K, …, 1] column along the axis, broadcast over every other axis by the gather.
        var count = index.Shape.ElementCount;
        var positions = View(node, index, Shape.Of([.. Enumerable.Repeat(1L, x.Shape.Rank).Select((one, d) => d == axis ? count : one)]), "positions");
        var shape = Shape.Of([.. x.Shape.Extents.SetItem(axis, count)]);
        return Gather(node, x, positions, axis, node.Name, registerAsNode: true, shape) is not null;
    }

    private bool ImportEmbedding(ExportedNode node)
    {
        var ok = TryTensor(node, 0, "weight", out var weight) & TryTensor(node, 1, "indices", out var indices) & TryIntList(node, 2, "padding_idx", out _)
            & TryBool(node, 3, "scale_grad_by_freq", false, out _) & TryBool(node, 4, "sparse", false, out _);
        if (!ok)
        {
            return false;
        }

        if (weight.Shape.Rank != 2)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: the weight {weight.Shape} is not 2-D; torch refuses it too (\"'weight' must be 2-D\").");
            return false;
        }

        var (count, width) = (indices.Shape.ElementCount, weight.Shape[1]);
        var column = View(node, indices, Shape.Of(count, 1), "column");
        if (Gather(node, weight, column, 0, FreshName(node.Name + "_rows"), registerAsNode: false, Shape.Of(count, width)) is not { } rows)
        {
            return false;
        }

        Emit(node, new ReshapeOp(new IRValue(node.Name, Shape.Of([.. indices.Shape.Extents, width]), DataType.Float32), rows.Name));
        return true;
    }
}
