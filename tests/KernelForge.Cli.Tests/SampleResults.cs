using KernelForge.Core;

namespace KernelForge.Cli.Tests;

/// <summary>Evaluation results built by hand, for rendering tests.</summary>
internal static class SampleResults
{
    private static readonly ProblemInfo Problem = new(
        "problems/level1/relu.py", "relu", new string('a', 64),
        [new TensorSpec("input0", [4096, 16384], DataType.Float32, TensorRole.Input)],
        [new TensorSpec("output0", [4096, 16384], DataType.Float32, TensorRole.Output)],
        [1001, 2002, 3003], 536_870_912, []);

    private static readonly EnvironmentInfo Environment = new(
        "NVIDIA H100 80GB HBM3", "9.0", "580.159.04", "13.0", "13.0", "2.11.0+cu130", "13.0", "3.12.3", "0.1.0",
        1980, 1980, 2619, 52_428_800, 132, 2.99e12, 3.35e12, 5.1, "gpu-host");

    public static EvaluationResult Accepted()
    {
        var candidate = new Candidate("// relu", CandidateFormat.Abi, "file:examples/relu_abi.cu");
        var checks = Problem.Seeds.Select((seed, index) => new InputSetCheck(index, seed,
            [new OutputCheck(0, true, null, null, 0, 0, 0, 0, 1e-6, 0, 0, 67_108_864)], null, null)).ToList();
        return new EvaluationResult(candidate, Problem, PrecisionPolicy.Strict, EvaluationStage.Time, null, null,
            CompileResult.Success("/tmp/k.so", 1.23, false, "", [new KernelResourceUsage("relu_kernel", 16, 0, 0, 0, 0, 380)]),
            checks, Timing(182.0), Timing(183.5), Timing(181.0), Environment, [], DateTimeOffset.UnixEpoch);
    }

    /// <summary>What --check-only returns for the same kernel: every check passed, nothing timed.</summary>
    public static EvaluationResult CheckedOnly() => Accepted() with
    {
        ReachedStage = EvaluationStage.Check,
        CandidateTiming = null,
        EagerTiming = null,
        CompiledTiming = null,
    };

    public static EvaluationResult RejectedUnwritten()
    {
        var candidate = new Candidate("// noop", CandidateFormat.Abi, "file:examples/adversarial/noop_abi.cu");
        var failure = new OutputCheck(0, false, FailureKind.UnwrittenOutput, "67108864 of 67108864 elements were never written",
            null, null, null, 0, null, 67_108_864, 67_108_864, 67_108_864);
        return new EvaluationResult(candidate, Problem, PrecisionPolicy.Strict, EvaluationStage.Check, FailureKind.UnwrittenOutput,
            "Input set 0 (seed 1001), output 0: 67108864 of 67108864 elements were never written",
            CompileResult.Success("/tmp/n.so", 0.9, true, "", []),
            [new InputSetCheck(0, 1001, [failure], null, null)], null, null, null, Environment, [], DateTimeOffset.UnixEpoch);
    }

    private static TimingSummary Timing(double median) =>
        new([median - 1, median, median + 1, median + double.Epsilon], median, median - 0.5, median + 0.5, median - 1, median, 0.8, true);
}
