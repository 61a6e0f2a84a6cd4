using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.IR;

public sealed class StridedViewTests
{
    [Fact]
    public void Slice_TwiceAlongOneAxis_OffsetsAddAndStepsMultiply()
    {
        var view = StridedView.Contiguous(Shape.Of(4, 11)).Slice(1, 1, 2, 5).Slice(1, 1, 3, 2);  // x[:, 1::2][:, 1::3] = x[:, 3], x[:, 9]

        Assert.Equal(new StridedView(Shape.Of(4, 2), 3, [11, 6]), view);
        Assert.Equal(3 * 11 + 3 + 6, view.LastElement);
        Assert.True(view.FitsIn(44));
        Assert.False(view.IsContiguous);
    }

    [Fact]
    public void Slice_LeadingAxis_ContiguousFromAnOffset()
    {
        var view = StridedView.Contiguous(Shape.Of(4, 8)).Slice(0, 1, 1, 2);

        Assert.Equal((8L, true), (view.ElementOffset, view.IsContiguous));
    }

    [Fact]
    public void Reshape_ContiguousView_AnyShapeOfAsManyElements()
    {
        var view = StridedView.Contiguous(Shape.Of(4, 8)).Slice(0, 2, 1, 2).Reshape(Shape.Of(16));

        Assert.Equal(new StridedView(Shape.Of(16), 16, [1]), view);
    }

    [Fact]
    public void Reshape_StridedViewGainingAndLosingUnitAxes_KeepsItsStrides()
    {
        var view = StridedView.Contiguous(Shape.Of(4, 8)).Slice(1, 0, 1, 7);

        Assert.Equal(new StridedView(Shape.Of(1, 4, 1, 7), 0, [0, 8, 0, 1]), view.Reshape(Shape.Of(1, 4, 1, 7)));
    }

    [Fact]
    public void Reshape_StridedViewMergingAxes_NullAsItNeedsACopy()
    {
        var view = StridedView.Contiguous(Shape.Of(4, 8)).Slice(1, 0, 1, 7);

        Assert.Null(view.Reshape(Shape.Of(28)));
        Assert.Null(view.Reshape(Shape.Of(4, 8)));
    }

    [Fact]
    public void FitsIn_ViewReadingPastTheEnd_False()
    {
        Assert.False(new StridedView(Shape.Of(4, 8), 1, [8, 1]).FitsIn(32));
        Assert.False(new StridedView(Shape.Of(2), 0, [-1]).FitsIn(32));
    }
}
