using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class EliminateDeadValuesTests
{
    [Fact]
    public void Run_ValueNoOutputNeeds_Removed()
    {
        var graph = new EliminateDeadValues().Run(TestFiles.ReadNodes(
            """
            {"name": "dead", "target": "aten.exp.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
            {"name": "live", "target": "aten.relu.default", "args": [{"node": "x"}], "kwargs": {}, "shape": [4, 8], "dtype": "float32"}
            """, "live"));

        Assert.Equal(["live"], graph.Operations.Select(o => o.Result.Name));
    }
}
