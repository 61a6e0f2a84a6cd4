namespace KernelForge.Evaluation.Extension;

/// <summary>What the extension runner's <c>hello</c> says about its torch and GPU (null where it could not tell).</summary>
public sealed record ExtensionRunnerHello(
    string RunnerVersion,
    string? GpuName,
    string? ComputeCapability,
    string? TorchVersion,
    string? TorchCudaVersion,
    string? PythonVersion);
