using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>max_pool*d(_with_indices) and avg_pool*d as the frontend reads them: defaults, expansion of single ints, torch's checks.</summary>
public sealed class PoolingImportTests
{
    [Fact]
    public void Read_MaxPool2dWithIndicesDefaults_StrideIsKernelPaddingZeroDilationOne()
    {
        var graph = ReductionImportTests.Read(
            """
            {"name": "t", "target": "aten.max_pool2d_with_indices.default", "args": [{"node": "x"}, [2, 2]], "kwargs": {}, "shape": [[1, 3, 4, 5], [1, 3, 4, 5]], "dtype": ["float32", "int64"]},
            {"name": "gi", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [1, 3, 4, 5], "dtype": "float32"}
            """, "gi", [1, 3, 9, 11]).Graph!;

        var pool = Assert.IsType<PoolOp>(Assert.Single(graph.Operations));
        Assert.Equal(PoolKind.Max, pool.Kind);
        Assert.Equal([2L, 2L], pool.Stride.AsEnumerable());
        Assert.Equal([0L, 0L], pool.Padding.AsEnumerable());
        Assert.Equal([1L, 1L], pool.Dilation.AsEnumerable());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_MaxPoolIndices_RefusedNamingThem()
    {
        var result = ReductionImportTests.Read(
            """
            {"name": "t", "target": "aten.max_pool2d_with_indices.default", "args": [{"node": "x"}, [2, 2]], "kwargs": {}, "shape": [[1, 3, 4, 5], [1, 3, 4, 5]], "dtype": ["float32", "int64"]},
            {"name": "gi", "target": "getitem", "args": [{"node": "t"}, 1], "kwargs": {}, "shape": [1, 3, 4, 5], "dtype": "int64"}
            """, "gi", [1, 3, 9, 11]);

        Assert.Contains("indices of max pooling", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AvgPool3dSingleIntStride_ExpandedToEveryAxis()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "a", "target": "aten.avg_pool3d.default", "args": [{"node": "x"}, [2, 3, 3], 2, [0, 1, 1], true, false, 5], "kwargs": {}, "shape": [1, 2, 3, 4, 4], "dtype": "float32"}""",
            "a", [1, 2, 5, 7, 7]).Graph!;

        var pool = Assert.IsType<PoolOp>(Assert.Single(graph.Operations));
        Assert.Equal([2L, 2L, 2L], pool.Stride.AsEnumerable());
        Assert.Equal((true, false, (long?)5), (pool.CeilMode, pool.CountIncludePad, pool.DivisorOverride));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Theory]
    [InlineData("[3, 3], [2, 2], [2, 2]", "`padding` 2 is more than half the kernel (3)")]
    [InlineData("[3, 3], [0, 2]", "`stride` 0 must be positive")]
    [InlineData("[3, 3, 3]", "`kernel_size` has 3 entries; a 2-d pooling takes 1 or 2")]
    [InlineData("[3, 3], [2, 2], [1, 1], false, true, 0", "`divisor_override` = 0; it must be a positive integer")]
    public void Read_AvgPool2dOutsideTorchLimits_DiagnosticNamingTheArgument(string arguments, string expected)
    {
        var result = ReductionImportTests.Read(
            $$"""{"name": "a", "target": "aten.avg_pool2d.default", "args": [{"node": "x"}, {{arguments}}], "kwargs": {}, "shape": [1, 3, 4, 4], "dtype": "float32"}""",
            "a", [1, 3, 9, 9]);

        Assert.Null(result.Graph);
        Assert.Contains(expected, Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(17, 3, 2, 1, 1, false, 9)]
    [InlineData(17, 3, 2, 1, 2, false, 8)]
    [InlineData(16, 3, 2, 0, 1, false, 7)]
    [InlineData(16, 3, 2, 0, 1, true, 8)]
    [InlineData(5, 2, 2, 1, 1, true, 3)]
    [InlineData(32768, 4, 2, 1, 1, false, 16384)]
    public void OutputExtent_AsTorchPoolingOutputShape(long input, long kernel, long stride, long padding, long dilation, bool ceilMode, long expected) =>
        Assert.Equal(expected, PoolOp.OutputExtent(input, kernel, stride, padding, dilation, ceilMode));
}
