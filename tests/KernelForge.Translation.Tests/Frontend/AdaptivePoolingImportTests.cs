using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>_adaptive_avg_pool*d and adaptive_max_pool*d as the frontend reads them: which lowering each size takes, and torch's checks.</summary>
public sealed class AdaptivePoolingImportTests
{
    [Fact]
    public void Read_AdaptiveAvgPool2dDivisible_PoolOpWithKernelAndStrideInputOverOutput()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "a", "target": "aten._adaptive_avg_pool2d.default", "args": [{"node": "x"}, [4, 2]], "kwargs": {}, "shape": [2, 3, 4, 2], "dtype": "float32"}""",
            "a", [2, 3, 12, 8]).Graph!;

        var pool = Assert.IsType<PoolOp>(Assert.Single(graph.Operations));
        Assert.Equal(PoolKind.Average, pool.Kind);
        Assert.Equal([3L, 4L], pool.KernelSize.AsEnumerable());
        Assert.Equal([3L, 4L], pool.Stride.AsEnumerable());
        Assert.Equal([0L, 0L], pool.Padding.AsEnumerable());
        Assert.Equal([1L, 1L], pool.Dilation.AsEnumerable());
        Assert.Equal((false, true, (long?)null), (pool.CeilMode, pool.CountIncludePad, pool.DivisorOverride));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_AdaptiveAvgPool2dUneven_AdaptivePoolOfLeadingAxesThenOutputSize()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "a", "target": "aten._adaptive_avg_pool2d.default", "args": [{"node": "x"}, [4, 5]], "kwargs": {}, "shape": [2, 3, 4, 5], "dtype": "float32"}""",
            "a", [2, 3, 10, 13]).Graph!;

        var pool = Assert.IsType<AdaptivePoolOp>(Assert.Single(graph.Operations));
        Assert.Equal((PoolKind.Average, "x"), (pool.Kind, pool.Source));
        Assert.Equal([4L, 5L], pool.OutputSize.AsEnumerable());
        Assert.Equal(Shape.Of(2, 3, 4, 5), pool.Result.Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_AdaptiveAvgPool1dUnbatched_ChannelIsThePlane()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "a", "target": "aten.adaptive_avg_pool1d.default", "args": [{"node": "x"}, [6]], "kwargs": {}, "shape": [5, 6], "dtype": "float32"}""",
            "a", [5, 17]).Graph!;

        var pool = Assert.IsType<AdaptivePoolOp>(Assert.Single(graph.Operations));
        Assert.Equal((1, Shape.Of(5, 6)), (pool.SpatialRank, pool.Result.Shape));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_AdaptiveAvgPool3dSingleInt_ExpandedToEveryAxis()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "a", "target": "aten._adaptive_avg_pool3d.default", "args": [{"node": "x"}, 3], "kwargs": {}, "shape": [1, 2, 3, 3, 3], "dtype": "float32"}""",
            "a", [1, 2, 5, 7, 6]).Graph!;

        var pool = Assert.IsType<AdaptivePoolOp>(Assert.Single(graph.Operations));
        Assert.Equal([3L, 3L, 3L], pool.OutputSize.AsEnumerable());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_AdaptiveMaxPool2dValues_AdaptivePoolOpOfMax()
    {
        var graph = ReductionImportTests.Read(
            """
            {"name": "t", "target": "aten.adaptive_max_pool2d.default", "args": [{"node": "x"}, [4, 5]], "kwargs": {}, "shape": [[2, 3, 4, 5], [2, 3, 4, 5]], "dtype": ["float32", "int64"]},
            {"name": "gi", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 3, 4, 5], "dtype": "float32"}
            """, "gi", [2, 3, 10, 13]).Graph!;

        var pool = Assert.IsType<AdaptivePoolOp>(Assert.Single(graph.Operations));
        Assert.Equal(PoolKind.Max, pool.Kind);
        Assert.Equal(["gi", "t"], pool.Origins.Order(StringComparer.Ordinal));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_AdaptiveMaxPoolIndices_RefusedNamingThem()
    {
        var result = ReductionImportTests.Read(
            """
            {"name": "t", "target": "aten.adaptive_max_pool2d.default", "args": [{"node": "x"}, [4, 5]], "kwargs": {}, "shape": [[2, 3, 4, 5], [2, 3, 4, 5]], "dtype": ["float32", "int64"]},
            {"name": "gi", "target": "getitem", "args": [{"node": "t"}, 1], "kwargs": {}, "shape": [2, 3, 4, 5], "dtype": "int64"}
            """, "gi", [2, 3, 10, 13]);

        Assert.Null(result.Graph);
        Assert.Contains("indices of adaptive max pooling", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AdaptivePoolToTheInputsSize_AViewNoKernel()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "a", "target": "aten._adaptive_avg_pool2d.default", "args": [{"node": "x"}, [5, 6]], "kwargs": {}, "shape": [2, 3, 5, 6], "dtype": "float32"}""",
            "a", [2, 3, 5, 6]).Graph!;

        var view = Assert.IsType<ReshapeOp>(Assert.Single(graph.Operations));
        Assert.Equal(("x", Shape.Of(2, 3, 5, 6)), (view.Source, view.Result.Shape));
    }

    [Theory]
    [InlineData("aten._adaptive_avg_pool2d.default", ReductionKind.Mean)]
    [InlineData("aten.adaptive_max_pool2d.default", ReductionKind.Max)]
    public void Read_AdaptivePoolToOneOfALargePlane_ReductionOverThePlane(string target, ReductionKind expected)
    {
        var isMax = target.Contains("max", StringComparison.Ordinal);
        var result = isMax
            ? ReductionImportTests.Read(
                $$"""
                {"name": "t", "target": "{{target}}", "args": [{"node": "x"}, [1, 1]], "kwargs": {}, "shape": [[2, 3, 1, 1], [2, 3, 1, 1]], "dtype": ["float32", "int64"]},
                {"name": "gi", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [2, 3, 1, 1], "dtype": "float32"}
                """, "gi", [2, 3, 9, 10])
            : ReductionImportTests.Read(
                $$"""{"name": "t", "target": "{{target}}", "args": [{"node": "x"}, [1, 1]], "kwargs": {}, "shape": [2, 3, 1, 1], "dtype": "float32"}""", "t", [2, 3, 9, 10]);
        var graph = result.Graph ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));

        var reduction = Assert.Single(graph.Operations.OfType<ReductionOp>());
        Assert.Equal((expected, 2), (reduction.Kind, reduction.Axis));
        Assert.Equal(Shape.Of(2, 3, 1, 1), graph.Values()[graph.Outputs[0]].Shape);
        Assert.DoesNotContain(graph.Operations, o => o is PoolOp or AdaptivePoolOp);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_AdaptivePoolDivisibleWindowTooLargeToUnroll_AdaptivePoolOp()
    {
        var graph = ReductionImportTests.Read(
            """{"name": "a", "target": "aten._adaptive_avg_pool2d.default", "args": [{"node": "x"}, [2, 2]], "kwargs": {}, "shape": [1, 2, 2, 2], "dtype": "float32"}""",
            "a", [1, 2, 32, 32]).Graph!;

        Assert.IsType<AdaptivePoolOp>(Assert.Single(graph.Operations));
    }

    [Theory]
    [InlineData("[0, 5]", "needs every output extent at least 1")]
    [InlineData("[-4, 5]", "needs every output extent at least 1")]
    [InlineData("[4, 5, 6]", "`output_size` has 3 entries; a 2-d adaptive pooling takes 1 or 2")]
    [InlineData("[]", "`output_size` is missing")]
    [InlineData("[4.5, 5]", "expects integers for `output_size`")]
    public void Read_AdaptivePoolBadOutputSize_DiagnosticNamingTheArgument(string outputSize, string expected)
    {
        var result = ReductionImportTests.Read(
            $$"""{"name": "a", "target": "aten._adaptive_avg_pool2d.default", "args": [{"node": "x"}, {{outputSize}}], "kwargs": {}, "shape": [2, 3, 4, 5], "dtype": "float32"}""",
            "a", [2, 3, 10, 13]);

        Assert.Null(result.Graph);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("a", diagnostic.NodeName);
        Assert.Contains(expected, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AdaptivePool2dOfAVector_RefusedAskingForAChannelAxis()
    {
        var result = ReductionImportTests.Read(
            """{"name": "a", "target": "aten._adaptive_avg_pool2d.default", "args": [{"node": "x"}, [4, 5]], "kwargs": {}, "shape": [4, 5], "dtype": "float32"}""",
            "a", [10, 13]);

        Assert.Contains("a 2-d adaptive pooling of a rank-2 tensor", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AdaptivePoolOfAnEmptySpatialAxis_Refused()
    {
        var result = ReductionImportTests.Read(
            """{"name": "a", "target": "aten._adaptive_avg_pool2d.default", "args": [{"node": "x"}, [4, 5]], "kwargs": {}, "shape": [2, 3, 4, 5], "dtype": "float32"}""",
            "a", [2, 3, 0, 13]);

        Assert.Contains("no empty spatial axis", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }
}
