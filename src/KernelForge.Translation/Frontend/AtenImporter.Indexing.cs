using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>Selecting whole slices by an index tensor: index_select, embedding and one-tensor index.Tensor, each a <see cref="GatherOp"/> with a broadcast index.</summary>
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

        return GatherSlices(node, x, index, axis, node.Name, registerAsNode: true) is not null;
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

        return PickSlices(node, weight, indices, 0);
    }

    /// <summary>
    /// <c>aten.index.Tensor(self, indices)</c> with one index tensor, after any number of <c>None</c>s (x[idx], x[:, idx], a
    /// relative-position table read through a buffer of positions): the index flattened, a gather along that axis, and a view to
    /// <c>self.shape[:p] + index.shape + self.shape[p+1:]</c>. Several index tensors (broadcast together) and bool masks (a
    /// data-dependent shape) are refused.
    /// </summary>
    private bool ImportIndexTensor(ExportedNode node)
    {
        if (!TryTensor(node, 0, "self", out var x))
        {
            return false;
        }

        if (node.Argument(1, "indices") is not ListArgument { Items: var items } || items.Count(i => i is NodeReference) != 1
            || items.Any(i => i is not (NodeReference or NoneArgument)))
        {
            return Unsupported(node, "indexing by other than one index tensor (after any number of `:`)");
        }

        var axis = items.IndexOf(items.First(i => i is NodeReference));
        if (axis >= x.Shape.Rank)
        {
            return Unsupported(node, "more indices than the tensor has dims");
        }

        if (Lookup(((NodeReference)items[axis]).Name, node.Name) is not { } index)
        {
            return false;
        }

        return index.DataType == DataType.Bool
            ? Unsupported(node, "indexing by a bool mask (the result's shape depends on the values)")
            : PickSlices(node, x, index, axis);
    }

    /// <summary>
    /// The slices of <paramref name="x"/> along <paramref name="axis"/> at the positions <paramref name="index"/> holds, in
    /// <paramref name="x"/>'s shape with that axis as long as the index has elements: the index viewed as a [1, …, K, …, 1]
    /// column along the axis, which the gather broadcasts over every other axis.
    /// </summary>
    private IRValue? GatherSlices(ExportedNode node, IRValue x, IRValue index, int axis, string name, bool registerAsNode)
    {
        var count = index.Shape.ElementCount;
        var positions = View(node, index, Shape.Of([.. Enumerable.Repeat(1L, x.Shape.Rank).Select((one, d) => d == axis ? count : one)]), "positions");
        return Gather(node, x, positions, axis, name, registerAsNode, Shape.Of([.. x.Shape.Extents.SetItem(axis, count)]));
    }

    /// <summary>
    /// <see cref="GatherSlices"/> in the index's shape, the node's result: <c>x.shape[:axis] + index.shape + x.shape[axis+1:]</c>
    /// (embedding, index.Tensor).
    /// </summary>
    private bool PickSlices(ExportedNode node, IRValue x, IRValue index, int axis)
    {
        if (GatherSlices(node, x, index, axis, FreshName(node.Name + "_gathered"), registerAsNode: false) is not { } gathered)
        {
            return false;
        }

        Emit(node, new ReshapeOp(new IRValue(node.Name, Shape.Of([.. x.Shape.Extents[..axis], .. index.Shape.Extents, .. x.Shape.Extents[(axis + 1)..]]), x.DataType), gathered.Name));
        return true;
    }
}
