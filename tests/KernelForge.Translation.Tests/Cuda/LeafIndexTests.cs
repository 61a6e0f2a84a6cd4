using KernelForge.Translation.Cuda;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Cuda;

public sealed class LeafIndexTests
{
    [Theory]
    [InlineData(new long[] { 4, 8 }, "j")]
    [InlineData(new long[] { 1, 8 }, "j % 8")]
    [InlineData(new long[] { 8 }, "j % 8")]
    [InlineData(new long[] { 4, 1 }, "j / 8")]
    [InlineData(new long[] { 1 }, "0")]
    [InlineData(new long[0], "0")]
    public void Classify_CommonBroadcasts_CheapIndex(long[] leaf, string expected)
    {
        Assert.Equal(expected, LeafIndex.Classify(Shape.Of(leaf), Shape.Of(4, 8)).Index("j"));
    }

    [Fact]
    public void Classify_MiddleDimension_GeneralIndexPerStretchedDimension()
    {
        var index = LeafIndex.Classify(Shape.Of(3, 1, 5), Shape.Of(3, 4, 5));

        Assert.Equal(LeafPattern.General, index.Pattern);
        Assert.Equal("(j / 20) * 5 + (j % 5)", index.Index("j"));
    }

    [Fact]
    public void LoadsVectors_SuffixOfMultipleOfFour_True_OtherwiseFalse()
    {
        Assert.True(LeafIndex.Classify(Shape.Of(8), Shape.Of(4, 8)).LoadsVectors);
        Assert.False(LeafIndex.Classify(Shape.Of(6), Shape.Of(4, 6)).LoadsVectors);
        Assert.True(LeafIndex.Classify(Shape.Of(4, 1), Shape.Of(4, 8)).SharedAcrossVector);
        Assert.False(LeafIndex.Classify(Shape.Of(4, 1), Shape.Of(4, 6)).SharedAcrossVector);
    }
}
