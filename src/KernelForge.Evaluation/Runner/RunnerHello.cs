namespace KernelForge.Evaluation.Runner;

/// <summary>What the runner's <c>hello</c> says about its GPU (null where the driver or runtime could not tell).</summary>
/// <remarks>
/// <see cref="CudaDriverVersion"/> is the CUDA version the driver supports ("13.0"); <see cref="DriverVersion"/> the
/// kernel module's ("580.159.04"). <see cref="CudaRuntimePath"/> is the libcudart the runner and its candidates share.
/// </remarks>
public sealed record RunnerHello(
    string? GpuName,
    string? ComputeCapability,
    string? DriverVersion,
    string? CudaDriverVersion,
    string? CudaRuntimeVersion,
    string? CudaRuntimePath,
    long? L2CacheBytes,
    int? MultiprocessorCount,
    int? SmClockMegahertz,
    int? MemoryClockMegahertz);
