using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

/// <summary>The parallel plan read from real <c>nvcc --dryrun</c> output of two releases (files under TestData).</summary>
public sealed class NvccStepPlanTests
{
    private static string DryRun(string release) =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(TestPaths.AbiDirectory)!, "tests", "KernelForge.Evaluation.Tests", "Compilation", "TestData", $"dryrun-nvcc-{release}.txt"));

    private static int IndexOf(NvccStepPlan plan, string tool, string? containing = null) =>
        plan.Steps.Select((step, index) => (step, index))
            .Single(pair => pair.step.Tool == tool && (containing is null || pair.step.CommandLine.Contains(containing, StringComparison.Ordinal))).index;

    [Fact]
    public void Parse_Nvcc13_CudafeAndCiccEachWaitOnlyForTheirPreprocessing()
    {
        var plan = NvccStepPlan.Parse(DryRun("13.0"))!;

        var hostPreprocess = IndexOf(plan, "gcc", "gcc -D__CUDA_ARCH_LIST__=900 -E");
        var devicePreprocess = IndexOf(plan, "gcc", "-D__CUDA_ARCH_LIST__=900 -E -x c++  -DCUDA_DOUBLE_MATH_FUNCTIONS");
        Assert.Empty(plan.Steps[hostPreprocess].DependsOn);
        Assert.Empty(plan.Steps[devicePreprocess].DependsOn);
        Assert.Equal([hostPreprocess], plan.Steps[IndexOf(plan, "cudafe++")].DependsOn);
        Assert.Equal([devicePreprocess], plan.Steps[IndexOf(plan, "cicc")].DependsOn);
        var ptxas = IndexOf(plan, "ptxas");
        Assert.Equal(Enumerable.Range(0, ptxas), plan.Steps[ptxas].DependsOn);
        var last = plan.Steps.Count - 1;
        Assert.Equal("g++", plan.Steps[last].Tool);
        Assert.Equal(Enumerable.Range(0, last), plan.Steps[last].DependsOn);
    }

    [Fact]
    public void Parse_Nvcc13_ModuleIdWrittenByTheCallerNotByCudafe()
    {
        var plan = NvccStepPlan.Parse(DryRun("13.0"))!;

        Assert.EndsWith("_softmax_abi.module_id", plan.ModuleIdFilePath, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Steps, step => step.CommandLine.Contains("--gen_module_id_file", StringComparison.Ordinal));
        Assert.All(
            plan.Steps.Where(step => step.Tool is "cicc" or "cudafe++"),
            step => Assert.Contains(plan.ModuleIdFilePath!, step.CommandLine, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Nvcc13_EnvironmentKeptAndCleanUpToleratesMissingFiles()
    {
        var plan = NvccStepPlan.Parse(DryRun("13.0"))!;

        Assert.Contains(plan.Environment, pair => pair is { Key: "CICC_PATH", Value: "/usr/local/cuda/bin/../nvvm/bin" });
        Assert.Contains(plan.Steps, step => step.CommandLine.StartsWith("\"$CICC_PATH/cicc\"", StringComparison.Ordinal) && step.Tool == "cicc");
        Assert.All(plan.Steps.Where(step => step.Tool == "rm"), step => Assert.StartsWith("rm -f ", step.CommandLine, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Nvcc118_CiccWroteTheModuleIdAndNowReadsIt()
    {
        var plan = NvccStepPlan.Parse(DryRun("11.8"))!;

        var cicc = plan.Steps[IndexOf(plan, "cicc")];
        Assert.DoesNotContain("--gen_module_id_file", cicc.CommandLine, StringComparison.Ordinal);
        Assert.Single(cicc.DependsOn);
        Assert.Single(plan.Steps[IndexOf(plan, "cudafe++")].DependsOn);
        Assert.NotNull(plan.ModuleIdFilePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nvcc fatal   : Unknown option '--frobnicate'\n")]
    [InlineData("#$ _HERE_=/usr/local/cuda/bin\n#$ nvnewtool --do-something \"/tmp/a\"\n")]
    public void Parse_UnknownShape_NoPlanSoPlainNvccBuilds(string dryRun) => Assert.Null(NvccStepPlan.Parse(dryRun));

    [Fact]
    public void ModuleIdFor_ShapeOfNvccsOwnAndStablePerSource()
    {
        var hash = Core.ContentHash.Of("__global__ void k() {}");

        var id = NvccStepPlan.ModuleIdFor("kernel.cu", hash);

        Assert.Equal($"_{hash[..8]}_9_kernel_cu_{hash[8..16]}", id);
        Assert.Equal(id, NvccStepPlan.ModuleIdFor("kernel.cu", hash));
    }
}
