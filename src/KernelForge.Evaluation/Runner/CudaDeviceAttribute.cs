namespace KernelForge.Evaluation.Runner;

/// <summary>The <c>cudaDeviceAttr</c> values the runner reads (numbers from <c>driver_types.h</c>).</summary>
internal enum CudaDeviceAttribute
{
    /// <summary><c>cudaDevAttrClockRate</c>, kHz; deprecated in CUDA 12 and may fail on CUDA 13 (then: unknown).</summary>
    ClockRateKilohertz = 13,

    /// <summary><c>cudaDevAttrMultiProcessorCount</c>.</summary>
    MultiprocessorCount = 16,

    /// <summary><c>cudaDevAttrMemoryClockRate</c>, kHz; may fail like <see cref="ClockRateKilohertz"/>.</summary>
    MemoryClockRateKilohertz = 36,

    /// <summary><c>cudaDevAttrL2CacheSize</c>, bytes. (89 is <c>cudaDevAttrConcurrentManagedAccess</c>, not L2.)</summary>
    L2CacheSizeBytes = 38,

    /// <summary><c>cudaDevAttrComputeCapabilityMajor</c>.</summary>
    ComputeCapabilityMajor = 75,

    /// <summary><c>cudaDevAttrComputeCapabilityMinor</c>.</summary>
    ComputeCapabilityMinor = 76,
}
