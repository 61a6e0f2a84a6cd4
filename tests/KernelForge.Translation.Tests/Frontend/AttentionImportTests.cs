namespace KernelForge.Translation.Tests.Frontend;

/// <summary>Scaled dot-product attention, written out as a product with K transposed, scale, mask, row softmax and a product with V.</summary>
public sealed class AttentionImportTests
{
    [Fact]
    public void Translate_CausalSdpa_ProductWithKTransposedSoftmaxAndProductWithV()
    {
        var result = new Translator().Translate(Graph(
            """{"name": "out", "target": "aten.scaled_dot_product_attention.default", "args": [{"node": "q"}, {"node": "k"}, {"node": "v"}, null, 0.0, true], "kwargs": {}, "shape": [2, 4, 64, 32], "dtype": "float32"}"""));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(2, result.Kernels.Count(kernel => kernel.Summary.Contains("matmul", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(result.Kernels, kernel => kernel.Summary.Contains("softmax", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(result.Kernels, kernel => kernel.Summary.Contains("arange", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[{"node": "q"}, {"node": "k"}, {"node": "v"}, null, 0.1, false]""", "dropout_p")]
    [InlineData("""[{"node": "q"}, {"node": "k"}, {"node": "v"}, {"node": "q"}, 0.0, true]""", "is_causal together with a mask")]
    public void Translate_DropoutOrMaskWithCausal_Refused(string args, string expected)
    {
        var result = new Translator().Translate(Graph(
            $$"""{"name": "out", "target": "aten.scaled_dot_product_attention.default", "args": {{args}}, "kwargs": {}, "shape": [2, 4, 64, 32], "dtype": "float32"}"""));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains(expected, StringComparison.Ordinal));
    }

    private static string Graph(string nodes) =>
        $$"""{"schema_version": 1, "inputs": [{"name": "q", "shape": [2, 4, 64, 32], "dtype": "float32", "role": "input"}, {"name": "k", "shape": [2, 4, 64, 32], "dtype": "float32", "role": "input"}, {"name": "v", "shape": [2, 4, 64, 32], "dtype": "float32", "role": "input"}], "nodes": [{{nodes}}], "outputs": ["out"]}""";
}
