using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Pipeline;

public sealed class KernelLaunchCheckTests
{
    private static RunnerRunResult Counted(int launches, params (string Name, int Count)[] kernels) => new(null, null, 0)
    {
        Launches = launches,
        LaunchedKernels = kernels.ToDictionary(kernel => kernel.Name, kernel => kernel.Count),
    };

    [Fact]
    public void Check_EveryCallLaunchedItsOwnKernel_PassesWithoutWarning()
    {
        var outcome = KernelLaunchCheck.Check([Counted(1, ("_Z4reluPKfPfl", 1)), Counted(1, ("_Z4reluPKfPfl", 1))], ["_Z4reluPKfPfl"]);

        Assert.Null(outcome.Rejection);
        Assert.Null(outcome.Warning);
        Assert.Contains("_Z4reluPKfPfl ×2", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OneCallLaunchedNothing_RejectsNamingTheCall()
    {
        var outcome = KernelLaunchCheck.Check([Counted(2, ("k", 2)), Counted(0)], ["k"]);

        Assert.NotNull(outcome.Rejection);
        Assert.Contains("Checked call 1 launched no kernel", outcome.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OnlyLibraryKernelsRan_PassesWithWarning()
    {
        var outcome = KernelLaunchCheck.Check([Counted(1, ("sm90_xmma_gemm_f32", 1))], ["_Z6unusedv"]);

        Assert.Null(outcome.Rejection);
        Assert.NotNull(outcome.Warning);
        Assert.Contains("sm90_xmma_gemm_f32", outcome.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NotCounted_NeitherPassesNorFailsAndSaysWhy()
    {
        var outcome = KernelLaunchCheck.Check([new RunnerRunResult(null, null, 0) { LaunchesNotCounted = "CUPTI (libcupti.so) was not found" }], ["k"]);

        Assert.Null(outcome.Rejection);
        Assert.Null(outcome.Warning);
        Assert.Equal("launches not counted: CUPTI (libcupti.so) was not found", outcome.Summary);
    }
}
