namespace KernelForge.Evaluation.Runner;

/// <summary>What the runner's <c>hello</c> reports about its device; null where the driver or runtime cannot tell.</summary>
/// <remarks>
/// <see cref="DriverVersion"/> is the kernel module's version, e.g. "580.159.04" (from /proc/driver/nvidia/version);
/// <see cref="CudaDriverVersion"/> the CUDA version the driver supports, e.g. "13.0" (<c>cudaDriverGetVersion</c>);
/// <see cref="CudaRuntimeVersion"/> the loaded libcudart's, e.g. "13.0" (<c>cudaRuntimeGetVersion</c>).
/// </remarks>
internal sealed record CudaDeviceInfo(
    string? GpuName,
    string? ComputeCapability,
    string? DriverVersion,
    string? CudaDriverVersion,
    string? CudaRuntimeVersion,
    long? L2CacheBytes,
    int? MultiprocessorCount,
    int? SmClockMegahertz,
    int? MemoryClockMegahertz);
