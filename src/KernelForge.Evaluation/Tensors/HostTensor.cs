using KernelForge.Core;

namespace KernelForge.Evaluation.Tensors;

/// <summary>A tensor in host memory as an <c>.npy</c> file holds it: contiguous, C-order, little-endian element bytes, of any size.</summary>
/// <remarks>The constructor checks that <see cref="Data"/> holds exactly one element's bytes per element of <see cref="Shape"/>.</remarks>
public sealed record HostTensor
{
    public HostTensor(IReadOnlyList<long> shape, DataType dataType, byte[] data)
        : this(shape, dataType, HostBytes.Of(data ?? throw new ArgumentNullException(nameof(data))))
    {
    }

    public HostTensor(IReadOnlyList<long> shape, DataType dataType, HostBytes data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Any(extent => extent < 0))
        {
            throw new ArgumentException($"Shape {FormatShape(shape)} has a negative extent.", nameof(shape));
        }

        var expectedBytes = shape.Aggregate(1L, (product, extent) => product * extent) * dataType.ElementBytes();
        if (data.Length != expectedBytes)
        {
            throw new ArgumentException(
                $"A {dataType.ToProtocolName()} tensor of shape {FormatShape(shape)} needs {expectedBytes} bytes, not {data.Length}.",
                nameof(data));
        }

        Shape = shape;
        DataType = dataType;
        Data = data;
    }

    public IReadOnlyList<long> Shape { get; }

    public DataType DataType { get; }

    /// <summary>The element bytes (any length, in chunks); owned by this tensor, so callers should not change them.</summary>
    public HostBytes Data { get; }

    /// <summary>Number of elements (1 for a 0-d tensor).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, extent) => product * extent);

    public long SizeBytes => Data.Length;

    /// <summary>True when this tensor has the shape and element type <paramref name="spec"/> describes.</summary>
    public bool Matches(TensorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.DataType == DataType && spec.Shape.SequenceEqual(Shape);
    }

    /// <summary>Shape as NumPy prints it: <c>()</c>, <c>(5,)</c>, <c>(2, 3)</c>.</summary>
    public static string FormatShape(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var extents = string.Join(", ", shape.Select(extent => extent.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return shape.Count == 1 ? $"({extents},)" : $"({extents})";
    }
}
