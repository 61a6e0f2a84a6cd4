using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.IR;

/// <summary>ATen's area_pixel_compute_scale for the linear modes, and the verifier's shape rules.</summary>
public sealed class UpsampleLinearOpTests
{
    [Theory]
    [InlineData(5L, 9L, true, null, 0.5f)]          // (I - 1) / (O - 1)
    [InlineData(6L, 1L, true, null, 0.0f)]          // one output: every output reads position 0
    [InlineData(5L, 10L, false, 2.0, 0.5f)]         // 1 / scale_factor when given
    [InlineData(7L, 9L, false, null, 7.0f / 9.0f)]  // else I / O
    [InlineData(7L, 9L, false, -1.0, 7.0f / 9.0f)]  // a non-positive factor counts as none
    public void Scale_AsAtenComputesIt(long input, long output, bool alignCorners, double? factor, float expected) =>
        Assert.Equal(expected, UpsampleLinearOp.Scale(input, output, alignCorners, factor));

    [Fact]
    public void Verify_LeadingAxesChanged_Error() =>
        Assert.NotEmpty(IRVerifier.Verify(Resize(Shape.Of(2, 4, 8, 8), [0.5f, 0.5f], alignCorners: false)));

    [Fact]
    public void Verify_WellFormed_NoErrors() =>
        Assert.Empty(IRVerifier.Verify(Resize(Shape.Of(2, 3, 8, 1), [0.5f, 0.0f], alignCorners: true)));

    /// <summary>x [2, 3, 4, 4] resized to <paramref name="result"/>.</summary>
    private static IRGraph Resize(Shape result, float[] scales, bool alignCorners) => new(
        [new GraphInput(new IRValue("x", Shape.Of(2, 3, 4, 4), DataType.Float32), TensorRole.Input)],
        [new UpsampleLinearOp(new IRValue("y", result, DataType.Float32), "x", [.. scales], alignCorners)],
        ["y"]);
}
