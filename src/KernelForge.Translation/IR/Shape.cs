using System.Collections.Immutable;
using System.Globalization;

namespace KernelForge.Translation.IR;

/// <summary>The static extents of a contiguous tensor, outermost first; a 0-d tensor has none.</summary>
/// <remarks>Compares by extents (a record over an array would compare by reference).</remarks>
public sealed record Shape(ImmutableArray<long> Extents)
{
    public static Shape Scalar { get; } = new(ImmutableArray<long>.Empty);

    public static Shape Of(params long[] extents) => new([.. extents]);

    public int Rank => Extents.Length;

    /// <summary>Number of elements (1 for a 0-d tensor).</summary>
    public long ElementCount => Extents.Aggregate(1L, (product, extent) => product * extent);

    /// <summary>The innermost extent (1 for a 0-d tensor).</summary>
    public long Last => Rank == 0 ? 1 : Extents[^1];

    public long this[int axis] => Extents[axis];

    /// <summary>An extent counted from either end: <c>shape[^1]</c> is the innermost.</summary>
    public long this[Index axis] => Extents[axis.GetOffset(Rank)];

    /// <summary>Elements between consecutive indices of <paramref name="axis"/> (row-major, contiguous).</summary>
    public long Stride(int axis)
    {
        var stride = 1L;
        for (var i = axis + 1; i < Rank; i++)
        {
            stride *= Extents[i];
        }

        return stride;
    }

    public bool Equals(Shape? other) => other is not null && Extents.AsSpan().SequenceEqual(other.Extents.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var extent in Extents)
        {
            hash.Add(extent);
        }

        return hash.ToHashCode();
    }

    /// <summary>Torch's spelling, e.g. <c>[4096, 16384]</c>, in invariant culture.</summary>
    public override string ToString() =>
        "[" + string.Join(", ", Extents.Select(e => e.ToString(CultureInfo.InvariantCulture))) + "]";
}
