namespace KernelForge.Translation.Tests.Frontend;

/// <summary>int64 graph inputs (labels used as numbers): converted to float32 once, refused anywhere else.</summary>
public sealed class IntegerInputImportTests
{
    [Fact]
    public void Translate_Int64LabelsToFloat_ConvertKernelReadsInt64AndEntryChecksInt64()
    {
        var result = new Translator().Translate(Graph("""
            {"name": "f", "target": "aten._to_copy.default", "args": [{"node": "t"}], "kwargs": {"dtype": {"dtype": "float32"}}, "shape": [4, 1], "dtype": "float32"},
            {"name": "out", "target": "aten.mul.Tensor", "args": [{"node": "x"}, {"node": "f"}], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}
            """));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(2, result.Kernels.Count);
        Assert.Contains("const int64_t* __restrict__ x0", result.Source, StringComparison.Ordinal);
        Assert.Contains("static_cast<const int64_t*>(inputs[1].data)", result.Source, StringComparison.Ordinal);
        Assert.Contains("KF_INT64", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Int64ReadAsANumberWithoutConversion_Refused()
    {
        var result = new Translator().Translate(Graph(
            """{"name": "out", "target": "aten.mul.Tensor", "args": [{"node": "x"}, {"node": "t"}], "kwargs": {}, "shape": [4, 37], "dtype": "float32"}"""));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("int64", StringComparison.Ordinal));
    }

    [Fact]
    public void Translate_BitwiseNotOfInt64_RefusedAsABitOperation()
    {
        // On bools ~mask is logical not (the emulation case bool_bitwise_not_and_or); on integers it flips bits.
        var result = new Translator().Translate(Graph(
            """{"name": "out", "target": "aten.bitwise_not.default", "args": [{"node": "t"}], "kwargs": {}, "shape": [4, 1], "dtype": "int64"}"""));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("bit operations on integers", StringComparison.Ordinal));
    }

    private static string Graph(string nodes) =>
        $$"""{"schema_version": 1, "inputs": [{"name": "x", "shape": [4, 37], "dtype": "float32", "role": "input"}, {"name": "t", "shape": [4, 1], "dtype": "int64", "role": "input"}], "nodes": [{{nodes}}], "outputs": ["out"]}""";
}
