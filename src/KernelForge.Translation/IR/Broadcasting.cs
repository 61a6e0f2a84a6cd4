namespace KernelForge.Translation.IR;

/// <summary>Torch's broadcasting rule: shapes are right-aligned, and an extent of 1 stretches to any other.</summary>
public static class Broadcasting
{
    /// <summary>True when <paramref name="operand"/> broadcasts to exactly <paramref name="result"/>.</summary>
    public static bool BroadcastsTo(Shape operand, Shape result)
    {
        if (operand.Rank > result.Rank)
        {
            return false;
        }

        var offset = result.Rank - operand.Rank;
        for (var i = 0; i < operand.Rank; i++)
        {
            if (operand[i] != 1 && operand[i] != result[offset + i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The shape two operands broadcast to, or null when they do not broadcast together.</summary>
    public static Shape? Broadcast(Shape left, Shape right)
    {
        var rank = Math.Max(left.Rank, right.Rank);
        var extents = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var l = i < rank - left.Rank ? 1 : left[i - (rank - left.Rank)];
            var r = i < rank - right.Rank ? 1 : right[i - (rank - right.Rank)];
            if (l != r && l != 1 && r != 1)
            {
                return null;
            }

            extents[i] = l == 1 ? r : l;
        }

        return Shape.Of(extents);
    }
}
