using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class PassPipelineTests
{
    public static TheoryData<string> Graphs() => [.. TestFiles.GraphNames];

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Run_GoldenGraph_VerifierAcceptsTheResultOfEveryPass(string graph)
    {
        var seen = new List<string>();

        var result = PassPipeline.Default.Run(TestFiles.ReadGraph(graph), (pass, after) =>
        {
            seen.Add(pass.Name);
            Assert.True(IRVerifier.Verify(after).Count == 0, $"after {pass.Name}:\n{string.Join("\n", IRVerifier.Verify(after))}\n{after}");
        });

        Assert.Equal(PassPipeline.Default.Passes.Select(p => p.Name), seen);
        Assert.DoesNotContain(result.Operations, o => o is UnaryOp or BinaryOp);
    }

    [Fact]
    public void Default_OrderIsViewsTransposesFlipsScanWindowsNormalizationOutputsFusionEpilogues()
    {
        Assert.Equal(
            ["FoldViews", "FoldTransposes", "FoldFlips", "FuseScanWindows", "RecognizeDiagonalMasks", "SimplifyDiagonalProducts", "SimplifyVectorProducts", "FuseNormalization", "FuseSoftmaxGather", "SplitLongReductions", "EliminateDeadValues", "MaterializeOutputs", "FuseElementwise", "FuseEpilogues", "FusePrologues", "EliminateDeadValues"],
            PassPipeline.Default.Passes.Select(p => p.Name));
    }
}
