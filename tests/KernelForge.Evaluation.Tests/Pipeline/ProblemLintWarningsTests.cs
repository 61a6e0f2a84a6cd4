using KernelForge.Core;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Tests.Pipeline;

public sealed class ProblemLintWarningsTests
{
    private static readonly ProblemLintFinding[] Findings =
    [
        new("tiny_outputs", 0, "max |ref| below atol"),
        new("zero_output_passes_kernelbench", 0, "zeros pass kernelbench"),
        new("input_independent", null, "outputs ignore inputs"),
    ];

    [Fact]
    public void For_Strict_HidesKernelBenchOnlyFindings()
    {
        var warning = Assert.Single(ProblemLintWarnings.For(Findings, PrecisionPolicy.Strict));

        Assert.Equal("DEGENERATE PROBLEM (input_independent): outputs ignore inputs", warning);
    }

    [Fact]
    public void For_KernelBench_ShowsEveryFindingWithItsOutput()
    {
        var warnings = ProblemLintWarnings.For(Findings, PrecisionPolicy.KernelBench);

        Assert.Equal(3, warnings.Count);
        Assert.Equal("DEGENERATE PROBLEM (tiny_outputs, output 0): max |ref| below atol", warnings[0]);
    }
}
