using System.Collections.Immutable;
using System.Globalization;

namespace KernelForge.Translation.IR;

/// <summary>An operation's own values placed inside a larger result: element c of <see cref="InnerShape"/> lands at <c>c + Before</c>, and every other element of the result is <see cref="Value"/>.</summary>
/// <remarks>
/// A constant pad (<c>F.pad</c>, mode 'constant') folded into the operation it reads, so that operation writes the padded
/// tensor itself and nothing in between is stored. One entry of <see cref="Before"/> per axis, each ≥ 0. Compares by value
/// (<see cref="Value"/> bit for bit, so 0 and -0 differ).
/// </remarks>
public sealed record ConstantBorder(Shape InnerShape, ImmutableArray<long> Before, double Value)
{
    /// <summary>True when the inner block, at its offset, lies inside a result of <paramref name="result"/>.</summary>
    public bool FitsIn(Shape result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Before.Length == InnerShape.Rank && result.Rank == InnerShape.Rank
            && Enumerable.Range(0, result.Rank).All(d => Before[d] >= 0 && Before[d] + InnerShape[d] <= result[d]);
    }

    /// <summary>Elements of <paramref name="result"/> after the inner block along <paramref name="axis"/>.</summary>
    public long After(Shape result, int axis)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result[axis] - Before[axis] - InnerShape[axis];
    }

    /// <summary>True when <paramref name="result"/> has border along <paramref name="axis"/>.</summary>
    public bool Pads(Shape result, int axis)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Before[axis] != 0 || InnerShape[axis] != result[axis];
    }

    public bool Equals(ConstantBorder? other) =>
        other is not null && InnerShape == other.InnerShape && Before.AsSpan().SequenceEqual(other.Before.AsSpan())
        && BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(other.Value);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(InnerShape);
        hash.Add(BitConverter.DoubleToInt64Bits(Value));
        foreach (var before in Before)
        {
            hash.Add(before);
        }

        return hash.ToHashCode();
    }

    /// <summary>E.g. <c>[32768, 8191] at [0, 1], 0 elsewhere</c>, in invariant culture.</summary>
    public override string ToString() =>
        $"{InnerShape} at [{string.Join(", ", Before.Select(b => b.ToString(CultureInfo.InvariantCulture)))}], {IRPrinter.Number(Value)} elsewhere";
}
