using System.Collections.Immutable;
using System.Globalization;
using static System.FormattableString;

namespace KernelForge.Translation.IR;

/// <summary>A tensor read in place from another tensor's contiguous memory: element c lies at <c>ElementOffset + Σ c[d] · ElementStrides[d]</c> of it.</summary>
/// <remarks>
/// What slices (with any step) and views of them make, so that an operation reads them without a copy. Offset and strides
/// count elements, not bytes; strides are ≥ 0 (an axis of extent 1 may have any, its index being 0). Compares by value.
/// </remarks>
public sealed record StridedView(Shape Shape, long ElementOffset, ImmutableArray<long> ElementStrides)
{
    /// <summary>All of a contiguous tensor of <paramref name="shape"/>, as it lies.</summary>
    public static StridedView Contiguous(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new(shape, 0, [.. Enumerable.Range(0, shape.Rank).Select(shape.Stride)]);
    }

    /// <summary>True when the elements lie one after another in row-major order (from <see cref="ElementOffset"/>).</summary>
    public bool IsContiguous => Enumerable.Range(0, Shape.Rank).All(d => Shape[d] == 1 || ElementStrides[d] == Shape.Stride(d));

    /// <summary>The highest element read (for a non-empty view).</summary>
    public long LastElement => ElementOffset + Enumerable.Range(0, Shape.Rank).Sum(d => (Shape[d] - 1) * ElementStrides[d]);

    /// <summary>True when every element read lies in a tensor of <paramref name="elementCount"/> elements.</summary>
    public bool FitsIn(long elementCount) =>
        ElementStrides.Length == Shape.Rank && ElementOffset >= 0 && ElementStrides.All(s => s >= 0)
        && (Shape.ElementCount == 0 || LastElement < elementCount);

    /// <summary><c>slice(this, axis, start, step)</c> keeping <paramref name="length"/> indices: index i of the axis reads <c>start + i · step</c>.</summary>
    public StridedView Slice(int axis, long start, long step, long length) =>
        new(Shape.Of([.. Shape.Extents.SetItem(axis, length)]), ElementOffset + (start * ElementStrides[axis]), ElementStrides.SetItem(axis, ElementStrides[axis] * step));

    /// <summary>
    /// The same elements in row-major order under <paramref name="shape"/>, or null when that needs a copy: a contiguous view
    /// takes any shape of as many elements, any other only adds or drops axes of extent 1.
    /// </summary>
    public StridedView? Reshape(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.ElementCount != Shape.ElementCount)
        {
            return null;
        }

        if (IsContiguous)
        {
            return Contiguous(shape) with { ElementOffset = ElementOffset };
        }

        var kept = Enumerable.Range(0, Shape.Rank).Where(d => Shape[d] != 1).ToList();
        if (!kept.Select(d => Shape[d]).SequenceEqual(shape.Extents.Where(e => e != 1)))
        {
            return null;
        }

        var next = 0;
        return new(shape, ElementOffset, [.. shape.Extents.Select(e => e == 1 ? 0 : ElementStrides[kept[next++]])]);
    }

    public bool Equals(StridedView? other) =>
        other is not null && Shape == other.Shape && ElementOffset == other.ElementOffset && ElementStrides.AsSpan().SequenceEqual(other.ElementStrides.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Shape);
        hash.Add(ElementOffset);
        foreach (var stride in ElementStrides)
        {
            hash.Add(stride);
        }

        return hash.ToHashCode();
    }

    /// <summary>E.g. <c>[32768, 8191] from 0 by [8192, 1]</c>, in invariant culture.</summary>
    public override string ToString() => Invariant($"{Shape} from {ElementOffset} by [{string.Join(", ", ElementStrides.Select(s => s.ToString(CultureInfo.InvariantCulture)))}]");
}
