using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class MaterializeOutputsTests
{
    [Fact]
    public void Run_InputReturned_CopiedIntoItsOwnValue()
    {
        var graph = new MaterializeOutputs().Run(TestFiles.ReadNodes("", "x"));

        var copy = Assert.IsType<UnaryOp>(Assert.Single(graph.Operations));
        Assert.Equal((UnaryOpKind.Identity, "x", "x_out"), (copy.Kind, copy.Operand, copy.Result.Name));
        Assert.Equal(["x_out"], graph.Outputs.ToArray());
    }

    [Fact]
    public void Run_ValueAndItsViewBothReturned_SecondGetsACopy()
    {
        var graph = new MaterializeOutputs().Run(TestFiles.ReadNodes(
            """
            {"name": "e", "target": "aten.exp.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "v", "target": "aten.view.default", "args": [{"node": "e"}, [32]], "kwargs": {}, "shape": [32], "dtype": "float32"}
            """, "e", "v"));

        Assert.Equal(["e", "v_out"], graph.Outputs.ToArray());
        Assert.Empty(IRVerifier.Verify(graph));
    }

    [Fact]
    public void Run_ViewOfComputedValueReturned_NoCopy()
    {
        var graph = new MaterializeOutputs().Run(TestFiles.ReadNodes(
            """
            {"name": "e", "target": "aten.exp.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "v", "target": "aten.view.default", "args": [{"node": "e"}, [32]], "kwargs": {}, "shape": [32], "dtype": "float32"}
            """, "v"));

        Assert.Equal(["v"], graph.Outputs.ToArray());
        Assert.Equal(2, graph.Operations.Length);
    }
}
