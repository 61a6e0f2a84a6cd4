using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class FoldViewsTests
{
    [Fact]
    public void Run_ViewToSameShapeAndClone_Removed()
    {
        var graph = new FoldViews().Run(TestFiles.ReadNodes(
            """
            {"name": "e", "target": "aten.exp.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "v", "target": "aten.view.default", "args": [{"node": "e"}, [4, 8]], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "c", "target": "aten.clone.default", "args": [{"node": "v"}], "kwargs": {"memory_format": {"memory_format": "contiguous_format"}}, "shape": [4, 8], "dtype": "float32"}
            """, "c"));

        var exp = Assert.Single(graph.Operations);
        Assert.Equal(["e"], graph.Outputs.ToArray());
        Assert.Equal(["e", "v", "c"], exp.Origins.ToArray());
    }

    [Fact]
    public void Run_ReshapeOfReshape_ReadsTheFirstSource()
    {
        var graph = new EliminateDeadValues().Run(new FoldViews().Run(TestFiles.ReadNodes(
            """
            {"name": "a", "target": "aten.view.default", "args": [{"node": "x"}, [32]], "kwargs": {}, "shape": [32], "dtype": "float32"},
            {"name": "b", "target": "aten.view.default", "args": [{"node": "a"}, [2, 16]], "kwargs": {}, "shape": [2, 16], "dtype": "float32"}
            """, "b")));

        Assert.Equal("x", Assert.IsType<ReshapeOp>(Assert.Single(graph.Operations)).Source);
    }

    [Fact]
    public void Run_ExpandWithoutBroadcast_Removed()
    {
        var graph = new FoldViews().Run(TestFiles.ReadNodes(
            """{"name": "e", "target": "aten.expand.default", "args": [{"node": "x"}, [4, -1]], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}""", "e"));

        Assert.Empty(graph.Operations);
        Assert.Equal(["x"], graph.Outputs.ToArray());
    }
}
