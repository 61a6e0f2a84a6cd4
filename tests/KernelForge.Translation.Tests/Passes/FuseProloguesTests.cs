using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class FusePrologueTests
{
    [Fact]
    public void Run_MseLoss_ChainComputedInTheFirstReductionsLoadsNothingStored()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadGraph("mse_loss"));

        Assert.DoesNotContain(graph.Operations, o => o is FusedPointwiseOp);
        var first = graph.Operations.OfType<ReductionOp>().First();
        Assert.Equal("pow(sub(%predictions, %targets), 2)", first.Prologue!.ToString());
        Assert.Equal(["predictions", "targets"], first.Operands);
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_ChainAlsoReadElsewhere_Stored()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "a", "target": "aten.abs.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "s", "target": "aten.sum.dim_IntList", "args": [{"node": "a"}, [1]], "kwargs": {}, "shape": [4], "dtype": "float32"}
            """, "s", "a"));

        Assert.Null(Assert.Single(graph.Operations.OfType<ReductionOp>()).Prologue);
    }

    [Fact]
    public void Run_VarianceOfAChain_Stored()
    {
        var graph = PassPipeline.Default.Run(TestFiles.ReadNodes(
            """
            {"name": "a", "target": "aten.abs.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "v", "target": "aten.var.correction", "args": [{"node": "a"}, [1]], "kwargs": {"correction": 1}, "shape": [4], "dtype": "float32"}
            """, "v"));

        Assert.Null(Assert.Single(graph.Operations.OfType<ReductionOp>()).Prologue);
        Assert.Single(graph.Operations.OfType<FusedPointwiseOp>());
    }
}
