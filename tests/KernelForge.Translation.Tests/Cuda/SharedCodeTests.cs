using KernelForge.Core;
using KernelForge.Translation.Cuda;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests.Cuda;

/// <summary>CudaEmitter writes each distinct kernel once (an unrolled recurrence's steps share their kernels) and passes slice starts as pointer offsets.</summary>
public sealed class SharedCodeTests
{
    private static readonly IRValue H = new("h", Shape.Of(4, 8, 16), DataType.Float32);

    private static IRValue Value(string name, params long[] extents) => new(name, Shape.Of(extents), DataType.Float32);

    /// <summary>The per-step slices h[t] of an unrolled recurrence: same shapes, different starts.</summary>
    private static IRGraph StepSlices(int steps) => new(
        [new GraphInput(H, TensorRole.Input)],
        [.. Enumerable.Range(0, steps).Select(t => (Operation)new SliceOp(Value($"s{t}", 1, 8, 16), "h", 0, t, 1))],
        [.. Enumerable.Range(0, steps).Select(t => $"s{t}")]);

    [Fact]
    public void Emit_SlicesOfOneTensorAtOtherStarts_OneKernelLaunchedWithOffsetPointers()
    {
        var emission = CudaEmitter.Emit(StepSlices(3));
        var source = emission.Source!;

        Assert.Single(source.Split('\n'), line => line.StartsWith("__global__", StringComparison.Ordinal));
        Assert.Contains("launch_k0_slice(v_h, v_s0, stream);", source, StringComparison.Ordinal);
        Assert.Contains("launch_k0_slice(v_h + 128, v_s1, stream);", source, StringComparison.Ordinal);
        Assert.Contains("launch_k0_slice(v_h + 256, v_s2, stream);", source, StringComparison.Ordinal);
        Assert.DoesNotContain("launch_k1_slice", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_SharedKernels_EveryOperationKeepsItsRowAndNamesWhoseCodeItRuns()
    {
        var emission = CudaEmitter.Emit(StepSlices(3));

        Assert.Equal(["k0_slice", "k1_slice", "k2_slice"], emission.Kernels.Select(k => k.Name));
        Assert.DoesNotContain("runs", emission.Kernels[0].Strategy, StringComparison.Ordinal);
        Assert.EndsWith("runs k0_slice's code", emission.Kernels[2].Strategy, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_SliceOnAnInnerAxisWithAStep_StartInThePointerStepInTheKernel()
    {
        var graph = new IRGraph(
            [new GraphInput(H, TensorRole.Input)],
            [new SliceOp(Value("odd", 4, 4, 16), "h", 1, 1, 2)],
            ["odd"]);

        var source = CudaEmitter.Emit(graph).Source!;

        Assert.Contains("launch_k0_slice(v_h + 16, v_odd, stream);", source, StringComparison.Ordinal);
        Assert.Contains("(c1 * 2)", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_KernelsThatDifferInAConstant_BothKept()
    {
        var graph = new IRGraph(
            [new GraphInput(H, TensorRole.Input)],
            [new SliceOp(Value("a", 1, 8, 16), "h", 0, 0, 1), new SliceOp(Value("b", 2, 8, 16), "h", 0, 1, 1)],
            ["a", "b"]);

        var source = CudaEmitter.Emit(graph).Source!;

        Assert.Equal(2, source.Split('\n').Count(line => line.StartsWith("__global__", StringComparison.Ordinal)));
        Assert.Contains("launch_k1_slice(v_h + 128, v_b, stream);", source, StringComparison.Ordinal);
    }
}
