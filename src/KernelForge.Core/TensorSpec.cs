namespace KernelForge.Core;

/// <summary>Name, shape and element type of one tensor a problem takes or returns; tensors are always contiguous on the wire.</summary>
public sealed record TensorSpec(string Name, IReadOnlyList<long> Shape, DataType DataType, TensorRole Role)
{
    /// <summary>Number of elements (1 for a 0-d tensor).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, extent) => product * extent);

    /// <summary>Bytes of the contiguous tensor.</summary>
    public long SizeBytes => ElementCount * DataType.ElementBytes();
}
