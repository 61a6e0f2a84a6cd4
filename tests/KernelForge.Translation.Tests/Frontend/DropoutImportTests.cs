using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Frontend;

/// <summary>dropout and native_dropout: the identity where nothing is dropped; refused where the reference is random.</summary>
public sealed class DropoutImportTests
{
    [Theory]
    [InlineData("0.0, true")]   // nn.Dropout(0.0) in a training-mode Model
    [InlineData("0.5, false")]  // any p outside training
    public void Read_DropoutThatDropsNothing_Identity(string arguments)
    {
        var graph = ReductionImportTests.Read(
            $$"""{"name": "d", "target": "aten.dropout.default", "args": [{"node": "x"}, {{arguments}}], "kwargs": {}, "shape": [4, 6], "dtype": "float32"}""",
            "d", [4, 6]).Graph!;

        var copy = Assert.IsType<ReshapeOp>(Assert.Single(graph.Operations));
        Assert.Equal(("x", Shape.Of(4, 6)), (copy.Source, copy.Result.Shape));
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Read_DropoutInTraining_RefusedAsRandom()
    {
        var result = ReductionImportTests.Read(
            """{"name": "d", "target": "aten.dropout.default", "args": [{"node": "x"}, 0.25, true], "kwargs": {}, "shape": [4, 6], "dtype": "float32"}""",
            "d", [4, 6]);

        Assert.Null(result.Graph);
        Assert.Contains("p = 0.25 in training mode", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NativeDropoutZero_OutputReadsTheInputAndTheMaskIsRefused()
    {
        const string Dropout = """{"name": "t", "target": "aten.native_dropout.default", "args": [{"node": "x"}, 0.0, true], "kwargs": {}, "shape": [[4, 6], [4, 6]], "dtype": ["float32", "bool"]}""";
        var graph = ReductionImportTests.Read(
            Dropout + """, {"name": "g", "target": "getitem", "args": [{"node": "t"}, 0], "kwargs": {}, "shape": [4, 6], "dtype": "float32"}""",
            "g", [4, 6]).Graph!;
        Assert.Equal("x", Assert.IsType<ReshapeOp>(Assert.Single(graph.Operations)).Source);

        var mask = ReductionImportTests.Read(
            Dropout + """, {"name": "m", "target": "getitem", "args": [{"node": "t"}, 1], "kwargs": {}, "shape": [4, 6], "dtype": "bool"}""",
            "m", [4, 6]);
        Assert.Contains("mask", Assert.Single(mask.Diagnostics).Message, StringComparison.Ordinal);
    }
}
