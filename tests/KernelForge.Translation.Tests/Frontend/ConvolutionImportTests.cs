using KernelForge.Translation.Cuda;
using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>aten.convolution (and conv2d / conv_transpose2d when a graph keeps them) as the frontend reads them, and which lowering each gets.</summary>
public sealed class ConvolutionImportTests
{
    [Fact]
    public void Read_Conv2dWithBias_OutputShapeFromTorchFormula()
    {
        var graph = Read("""[{"node": "x"}, {"node": "w"}, {"node": "b"}, [2, 1], [1, 0], [2, 1], false, [0, 0], 1]""", [2, 5, 13, 11], [20, 5, 3, 2], [20], [2, 20, 6, 10]).Graph!;

        var conv = Assert.IsType<ConvolutionOp>(Assert.Single(graph.Operations));
        Assert.Equal(Shape.Of(2, 20, 6, 10), conv.Result.Shape);
        Assert.Equal("b", conv.Bias);
        Assert.False(conv.Transposed);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_TransposedWithOutputPadding_OutputShapeFromConvInputSize()
    {
        // (7 - 1) * 3 - 2 * 1 + 2 * (3 - 1) + 1 + 1 = 22
        var graph = Read("""[{"node": "x"}, {"node": "w"}, null, [3], [1], [2], true, [1], 1]""", [2, 4, 7], [4, 18, 3], null, [2, 18, 22]).Graph!;

        var conv = Assert.IsType<ConvolutionOp>(Assert.Single(graph.Operations));
        Assert.True(conv.Transposed);
        Assert.Null(conv.Bias);
        Assert.Equal(Shape.Of(2, 18, 22), conv.Result.Shape);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_Conv2dOverloadWithDefaults_StrideOnePaddingZero()
    {
        var result = GraphReader.Read("""
            {"schema_version": 1, "inputs": [{"name": "x", "shape": [1, 3, 8, 8], "dtype": "float32", "role": "input"}, {"name": "w", "shape": [4, 3, 3, 3], "dtype": "float32", "role": "parameter"}],
             "nodes": [{"name": "c", "target": "aten.conv2d.default", "args": [{"node": "x"}, {"node": "w"}], "kwargs": {}, "shape": [1, 4, 6, 6], "dtype": "float32"}], "outputs": ["c"]}
            """);

        var conv = Assert.IsType<ConvolutionOp>(Assert.Single(result.Graph!.Operations));
        Assert.Equal([1L, 1L], conv.Stride.AsEnumerable());
        Assert.Equal([0L, 0L], conv.Padding.AsEnumerable());
        Assert.Equal(1, conv.Groups);
    }

    [Theory]
    [InlineData("[1, 1], [0, 0], [1, 1], false, [0, 0], 3", "do not fit together")]
    [InlineData("[0, 1], [0, 0], [1, 1], false, [0, 0], 1", "`stride` 0 must be positive")]
    [InlineData("[1, 1], [-1, 0], [1, 1], false, [0, 0], 1", "`padding` -1 must not be negative")]
    [InlineData("[1, 1], [0, 0], [1, 1], false, [1, 0], 1", "`output_padding` applies to transposed convolutions only")]
    [InlineData("[2, 2], [0, 0], [1, 1], true, [2, 0], 1", "must be smaller than the stride (2) or the dilation (1)")]
    [InlineData("[1, 1, 1], [0, 0], [1, 1], false, [0, 0], 1", "`stride` has 3 entries; a 2-d convolution takes 1 or 2")]
    public void Read_OutsideTorchLimits_DiagnosticNamingTheArgument(string arguments, string expected)
    {
        var result = Read($$"""[{"node": "x"}, {"node": "w"}, null, {{arguments}}]""", [1, 4, 8, 8], [4, 4, 3, 3], null, [1, 4, 6, 6]);

        Assert.Null(result.Graph);
        Assert.Contains(expected, Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BiasOfWrongLength_Refused()
    {
        var result = Read("""[{"node": "x"}, {"node": "w"}, {"node": "b"}, [1, 1], [0, 0], [1, 1], false, [0, 0], 1]""", [1, 4, 8, 8], [6, 4, 3, 3], [4], [1, 6, 6, 6]);

        Assert.Contains("one element per output channel (6)", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KernelLargerThanPaddedInput_Refused()
    {
        var result = Read("""[{"node": "x"}, {"node": "w"}, null, [1, 1], [0, 0], [1, 1], false, [0, 0], 1]""", [1, 4, 2, 8], [6, 4, 3, 3], null, [1, 6, 0, 6]);

        Assert.Contains("output extent is below 1", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(24, 1, "k0_conv", "implicit GEMM (24 x")]
    [InlineData(8, 8, "k0_conv_direct", "direct: one thread per output")]
    public void Emit_FewOutputChannelsPerGroup_DirectElseImplicitGemm(int outputChannels, int groups, string kernel, string strategy)
    {
        var graph = Read(
            $$"""[{"node": "x"}, {"node": "w"}, null, [1, 1], [1, 1], [1, 1], false, [0, 0], {{groups}}]""",
            [2, 8, 10, 9], [outputChannels, 8 / groups, 3, 3], null, [2, outputChannels, 10, 9]).Graph!;

        var emission = CudaEmitter.Emit(graph);

        var emitted = Assert.Single(emission.Kernels);
        Assert.Equal(kernel, emitted.Name);
        Assert.StartsWith(strategy, emitted.Strategy, StringComparison.Ordinal);
        Assert.Equal(KernelKind.Convolution, emitted.Kind);
    }

    private static GraphReadResult Read(string args, int[] input, int[] weight, int[]? bias, int[] output)
    {
        static string Shape(int[] extents) => "[" + string.Join(", ", extents) + "]";
        var biasInput = bias is null ? "" : $$""", {"name": "b", "shape": {{Shape(bias)}}, "dtype": "float32", "role": "parameter"}""";
        return GraphReader.Read($$"""
            {"schema_version": 1, "inputs": [{"name": "x", "shape": {{Shape(input)}}, "dtype": "float32", "role": "input"}, {"name": "w", "shape": {{Shape(weight)}}, "dtype": "float32", "role": "parameter"}{{biasInput}}],
             "nodes": [{"name": "c", "target": "aten.convolution.default", "args": {{args}}, "kwargs": {}, "shape": {{Shape(output)}}, "dtype": "float32"}], "outputs": ["c"]}
            """);
    }
}
