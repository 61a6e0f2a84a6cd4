using KernelForge.Core;

namespace KernelForge.Archive.Tests;

/// <summary>Realistic evaluation results of a ReLU problem on an H100: one accepted, one rejected for a wrong result.</summary>
internal static class SampleEvaluations
{
    public const string ReluSource = """
        #include <cuda_runtime.h>
        __global__ void relu(const float* x, float* y, long n) {
            long i = blockIdx.x * (long)blockDim.x + threadIdx.x;
            if (i < n) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        }
        extern "C" int kforge_entry(void** buffers, cudaStream_t stream) { return 0; }
        """;

    /// <summary>A finish time in a +01:00 zone, so tests see that the archive stores UTC.</summary>
    public static readonly DateTimeOffset FinishedAt = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(1));

    public static ProblemInfo Problem(string name = "19_ReLU", string path = "problems/level1/19_ReLU.py") => new(
        Path: path,
        Name: name,
        Hash: ContentHash.Of(path),
        Tensors: [new TensorSpec("x", [16, 16384], DataType.BFloat16, TensorRole.Input)],
        Outputs: [new TensorSpec("out0", [16, 16384], DataType.BFloat16, TensorRole.Output)],
        Seeds: [42, 43, 44],
        BytesMoved: 2L * 16 * 16384 * 2,
        Warnings: []);

    public static EnvironmentInfo Environment { get; } = new(
        GpuName: "NVIDIA H100 80GB HBM3",
        ComputeCapability: "9.0",
        DriverVersion: "550.54.15",
        CudaRuntimeVersion: "12.4",
        NvccVersion: "12.4.131",
        TorchVersion: "2.5.1",
        TorchCudaVersion: "12.4",
        PythonVersion: "3.11.9",
        WorkerVersion: "0.1.0",
        SmClockMegahertz: 1980,
        MaxSmClockMegahertz: 1980,
        MemoryClockMegahertz: 2619,
        L2CacheBytes: 52_428_800,
        MultiprocessorCount: 132,
        MeasuredPeakBandwidthBytesPerSecond: 3.0e12,
        DatasheetPeakBandwidthBytesPerSecond: 3.35e12,
        EmptyKernelMicroseconds: 4.25,
        HostName: "gpu-host-01");

    public static Candidate Candidate(string source = ReluSource, string origin = "generator") =>
        new(source, CandidateFormat.Abi, origin);

    public static TimingSummary Timing(double medianMicroseconds, bool l2Flushed = true) => new(
        SamplesMicroseconds: [medianMicroseconds - 0.25, medianMicroseconds, medianMicroseconds + 0.125, medianMicroseconds, medianMicroseconds + 0.5],
        MedianMicroseconds: medianMicroseconds,
        LowerQuartileMicroseconds: medianMicroseconds - 0.125,
        UpperQuartileMicroseconds: medianMicroseconds + 0.25,
        MinMicroseconds: medianMicroseconds - 0.25,
        MeanMicroseconds: medianMicroseconds + 0.075,
        StandardDeviationMicroseconds: 0.27,
        L2Flushed: l2Flushed);

    public static CompileResult Compile() => CompileResult.Success(
        libraryPath: "/tmp/kforge/cache/ab12/libcandidate.so",
        seconds: 1.75,
        cacheHit: false,
        log: "ptxas info    : Used 10 registers, 360 bytes cmem[0]",
        kernels: [new KernelResourceUsage("relu", Registers: 10, SharedMemoryBytes: 0, StackFrameBytes: 0, SpillStoreBytes: 0, SpillLoadBytes: 0, ConstantMemoryBytes: 360)]);

    public static InputSetCheck PassingCheck(int index) => new(
        index,
        Seed: 42 + index,
        Outputs: [new OutputCheck(0, Passed: true, Failure: null, Message: null, 0.0, 0.0, 0.0, 0.0, 1e-5, 0, 0, 262_144)],
        HarnessFailure: null,
        HarnessMessage: null);

    public static InputSetCheck WrongCheck(int index) => new(
        index,
        Seed: 42 + index,
        Outputs: [new OutputCheck(0, Passed: false, FailureKind.WrongResult, "max abs error 0.5 exceeds the allowed 1e-05", 0.5, 1.0, 0.125, 1e-6, 1e-5, 0, 0, 262_144)],
        HarnessFailure: null,
        HarnessMessage: null);

    /// <summary>Passed every check; 12.5 µs against 25 µs eager and 15 µs compiled.</summary>
    public static EvaluationResult Accepted(Candidate? candidate = null, ProblemInfo? problem = null, double candidateMedianMicroseconds = 12.5) => new(
        Candidate: candidate ?? Candidate(),
        Problem: problem ?? Problem(),
        Precision: PrecisionPolicy.Strict,
        ReachedStage: EvaluationStage.Time,
        Failure: null,
        FailureMessage: null,
        Compile: Compile(),
        Checks: [PassingCheck(0), PassingCheck(1), PassingCheck(2)],
        CandidateTiming: Timing(candidateMedianMicroseconds),
        EagerTiming: Timing(25.0),
        CompiledTiming: Timing(15.0),
        Environment: Environment,
        Warnings: [],
        FinishedAt: FinishedAt);

    /// <summary>Compiled and ran, then failed the check on the first input set; never timed.</summary>
    public static EvaluationResult Rejected(Candidate? candidate = null, ProblemInfo? problem = null) => new(
        Candidate: candidate ?? Candidate("// returns zeros\n" + ReluSource, origin: "llm:gpt-4.1"),
        Problem: problem ?? Problem(),
        Precision: PrecisionPolicy.KernelBench,
        ReachedStage: EvaluationStage.Check,
        Failure: FailureKind.WrongResult,
        FailureMessage: "output 0 of input set 0: max abs error 0.5 exceeds the allowed 1e-05",
        Compile: Compile(),
        Checks: [WrongCheck(0)],
        CandidateTiming: null,
        EagerTiming: null,
        CompiledTiming: null,
        Environment: Environment,
        Warnings: ["high dispersion in the reference timing"],
        FinishedAt: FinishedAt.AddSeconds(5));
}
