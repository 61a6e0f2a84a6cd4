using System.Text;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>The index arithmetic that reads a broadcast value at an elementwise kernel's element <c>j</c>.</summary>
internal sealed record LeafIndex(LeafPattern Pattern, long Period, long Inner, Shape Leaf, Shape Output)
{
    public static LeafIndex Classify(Shape leaf, Shape output)
    {
        var padded = Padded(leaf, output.Rank);
        if (leaf.ElementCount == output.ElementCount)
        {
            return new LeafIndex(LeafPattern.Same, 0, 0, leaf, output);
        }

        if (leaf.ElementCount == 1)
        {
            return new LeafIndex(LeafPattern.Scalar, 0, 0, leaf, output);
        }

        // Dimensions of extent 1 in the output carry no index, so they match either way.
        bool Matches(int d) => padded[d] == output[d];
        bool IsOne(int d) => padded[d] == 1;

        var suffixStart = output.Rank;
        while (suffixStart > 0 && Matches(suffixStart - 1))
        {
            suffixStart--;
        }

        if (Enumerable.Range(0, suffixStart).All(IsOne))
        {
            return new LeafIndex(LeafPattern.Suffix, leaf.ElementCount, 0, leaf, output);
        }

        var prefixEnd = 0;
        while (prefixEnd < output.Rank && Matches(prefixEnd))
        {
            prefixEnd++;
        }

        if (Enumerable.Range(prefixEnd, output.Rank - prefixEnd).All(IsOne))
        {
            return new LeafIndex(LeafPattern.Prefix, 0, output.ElementCount / leaf.ElementCount, leaf, output);
        }

        return new LeafIndex(LeafPattern.General, 0, 0, leaf, output);
    }

    /// <summary>True when four consecutive elements read four consecutive floats (one <c>float4</c> load).</summary>
    public bool LoadsVectors => Pattern == LeafPattern.Same || (Pattern == LeafPattern.Suffix && Period % 4 == 0);

    /// <summary>True when four consecutive elements (from a multiple of 4) all read the same float.</summary>
    public bool SharedAcrossVector => Pattern == LeafPattern.Scalar || (Pattern == LeafPattern.Prefix && Inner % 4 == 0);

    /// <summary>The index of the element read for kernel element <paramref name="j"/> (a C expression; parenthesized if compound).</summary>
    public string Index(string j) => Pattern switch
    {
        LeafPattern.Same => j,
        LeafPattern.Scalar => "0",
        LeafPattern.Suffix => $"{Wrap(j)} % {CudaLiteral.Format(Period)}",
        LeafPattern.Prefix => $"{Wrap(j)} / {CudaLiteral.Format(Inner)}",
        _ => GeneralIndex(Wrap(j)),
    };

    private string GeneralIndex(string j)
    {
        var padded = Padded(Leaf, Output.Rank);
        var leafShape = Shape.Of(padded);
        var terms = new List<string>();
        var first = true;
        for (var d = 0; d < Output.Rank; d++)
        {
            if (Output[d] == 1)
            {
                continue;
            }

            if (padded[d] != 1)
            {
                var term = new StringBuilder(j);
                var outerStride = Output.Stride(d);
                if (outerStride != 1)
                {
                    term.Append(" / ").Append(CudaLiteral.Format(outerStride));
                }

                if (!first)
                {
                    term.Append(" % ").Append(CudaLiteral.Format(Output[d]));
                }

                var leafStride = leafShape.Stride(d);
                terms.Add(leafStride == 1 ? $"({term})" : $"({term}) * {CudaLiteral.Format(leafStride)}");
            }

            first = false;
        }

        return string.Join(" + ", terms);
    }

    private static string Wrap(string j) => j.All(c => char.IsLetterOrDigit(c) || c == '_') ? j : Invariant($"({j})");

    private static long[] Padded(Shape leaf, int rank) => [.. Enumerable.Repeat(1L, rank - leaf.Rank), .. leaf.Extents];
}
