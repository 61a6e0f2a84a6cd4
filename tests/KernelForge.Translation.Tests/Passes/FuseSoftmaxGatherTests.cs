using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation.Tests.Passes;

public sealed class FuseSoftmaxGatherTests
{
    [Fact]
    public void Run_CrossEntropyFromTorch1_LogSoftmaxAndGatherBecomeOnePick()
    {
        var graph = new EliminateDeadValues().Run(new FuseSoftmaxGather().Run(new FoldViews().Run(TestFiles.ReadGraph("cross_entropy_torch1"))));

        var pick = Assert.Single(graph.Operations.OfType<RowSoftmaxPickOp>());
        Assert.Equal(("gather", "arg0_1", "unsqueeze", true), (pick.Result.Name, pick.Source, pick.Index, pick.IsLog));
        Assert.Equal(["_log_softmax", "gather"], pick.Origins.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(graph.Operations, o => o is RowSoftmaxOp or GatherOp);
    }

    [Fact]
    public void Run_SoftmaxAlsoReturned_NotFused()
    {
        var graph = new FuseSoftmaxGather().Run(Read(outputs: ["g", "s"]));

        Assert.Contains(graph.Operations, o => o is GatherOp);
        Assert.DoesNotContain(graph.Operations, o => o is RowSoftmaxPickOp);
    }

    [Fact]
    public void Run_GatherAlongTheFirstAxis_NotFused()
    {
        var graph = new FuseSoftmaxGather().Run(Read(outputs: ["g"], dim: 0));

        Assert.DoesNotContain(graph.Operations, o => o is RowSoftmaxPickOp);
    }

    [Fact]
    public void Run_IndexSelectOfASoftmaxOverRows_StaysAGather()
    {
        var json = """
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}, {"name": "t", "shape": [2], "dtype": "int64", "role": "input"}],
             "nodes": [
               {"name": "s", "target": "aten._softmax.default", "args": [{"node": "x"}, 1, false], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
               {"name": "g", "target": "aten.index_select.default", "args": [{"node": "s"}, 1, {"node": "t"}], "kwargs": {}, "shape": [4, 2], "dtype": "float32"}],
             "outputs": ["g"]}
            """;

        var graph = new FuseSoftmaxGather().Run(new FoldViews().Run(GraphReader.Read(json).Graph!));

        Assert.Contains(graph.Operations, o => o is GatherOp);
        Assert.DoesNotContain(graph.Operations, o => o is RowSoftmaxPickOp);
    }

    [Fact]
    public void Run_SoftmaxOnly_PickIsNotLog()
    {
        var graph = new FuseSoftmaxGather().Run(Read(outputs: ["g"]));

        Assert.False(Assert.Single(graph.Operations.OfType<RowSoftmaxPickOp>()).IsLog);
    }

    private static IRGraph Read(string[] outputs, int dim = 1)
    {
        var json = $$"""
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}, {"name": "t", "shape": [4, 2], "dtype": "int64", "role": "input"}],
             "nodes": [
               {"name": "s", "target": "aten._softmax.default", "args": [{"node": "x"}, 1, false], "kwargs": {}, "shape": [4, 8], "dtype": "float32"},
               {"name": "g", "target": "aten.gather.default", "args": [{"node": "s"}, {{dim}}, {"node": "t"}], "kwargs": {}, "shape": [4, 2], "dtype": "float32"}],
             "outputs": [{{string.Join(", ", outputs.Select(o => $"\"{o}\""))}}]}
            """;
        var result = GraphReader.Read(json);
        return result.Graph ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    }
}
