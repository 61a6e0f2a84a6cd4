namespace KernelForge.Core;

/// <summary>The machine a result was measured on; attached to every evaluation (BenchmarkDotNet's HostEnvironmentInfo).</summary>
/// <remarks>Null means "not reported" (for example clocks where NVML is unavailable), never zero.</remarks>
public sealed record EnvironmentInfo(
    string GpuName,
    string ComputeCapability,
    string? DriverVersion,
    string? CudaRuntimeVersion,
    string? NvccVersion,
    string? TorchVersion,
    string? TorchCudaVersion,
    string? PythonVersion,
    string? WorkerVersion,
    int? SmClockMegahertz,
    int? MaxSmClockMegahertz,
    int? MemoryClockMegahertz,
    long? L2CacheBytes,
    int? MultiprocessorCount,
    double? MeasuredPeakBandwidthBytesPerSecond,
    double? DatasheetPeakBandwidthBytesPerSecond,
    double? EmptyKernelMicroseconds,
    string HostName);
