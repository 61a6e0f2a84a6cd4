namespace KernelForge.Evaluation.Runner;

/// <summary>A CUDA event for timing work on a stream (<c>cudaEventCreate</c>, default flags, so it records timestamps).</summary>
internal sealed class CudaEvent : IDisposable
{
    private nint _handle;

    private CudaEvent(nint handle) => _handle = handle;

    public static CudaEvent Create() => new(CudaRuntime.CreateEvent());

    /// <summary>GPU time between two recorded, completed events (resolution about 0.5 µs per the CUDA documentation).</summary>
    public static double ElapsedMilliseconds(CudaEvent start, CudaEvent end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        return CudaRuntime.ElapsedMilliseconds(start._handle, end._handle);
    }

    public void Record(nint stream) => CudaRuntime.RecordEvent(_handle, stream);

    public void Synchronize() => CudaRuntime.SynchronizeEvent(_handle);

    /// <summary>Destroys the event; errors are ignored (after a sticky error nothing can be released anyway).</summary>
    public void Dispose()
    {
        if (_handle != 0)
        {
            _ = CudaRuntime.DestroyEventCode(_handle);
            _handle = 0;
        }
    }
}
