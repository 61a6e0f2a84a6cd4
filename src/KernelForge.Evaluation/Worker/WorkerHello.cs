namespace KernelForge.Evaluation.Worker;

/// <summary>What the worker's <c>hello</c> says about itself and the machine (null where it could not tell).</summary>
public sealed record WorkerHello(
    string WorkerVersion,
    string? GpuName,
    string? ComputeCapability,
    string? DriverVersion,
    string? TorchVersion,
    string? TorchCudaVersion,
    string? PythonVersion,
    int? SmClockMegahertz,
    int? MaxSmClockMegahertz,
    int? MemoryClockMegahertz,
    string? HostName);
