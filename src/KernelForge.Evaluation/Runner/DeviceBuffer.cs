using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// Device memory for one tensor, with a 4 KiB canary region on each side so that a write out of bounds shows up
/// (<c>out_of_bounds_write</c>) instead of silently corrupting a neighbour.
/// </summary>
/// <remarks>
/// Layout: <c>[canary CanaryBytes][payload SizeBytes][canary CanaryBytes]</c>. The payload starts 4096 bytes into a
/// cudaMalloc block, so it keeps cudaMalloc's 256-byte alignment. Writes here use the legacy default stream; the
/// runner synchronizes the device before it calls a candidate. Not thread-safe.
/// </remarks>
internal sealed class DeviceBuffer : IDisposable
{
    public const int CanaryBytes = 4096;
    public const byte CanaryByte = 0xC3;

    private nint _block;

    private DeviceBuffer(nint block, long sizeBytes)
    {
        _block = block;
        SizeBytes = sizeBytes;
    }

    /// <summary>Bytes of the payload (the tensor itself).</summary>
    public long SizeBytes { get; }

    /// <summary>Device address of the payload: what the candidate sees as the tensor's data pointer.</summary>
    public nint Pointer => Block + CanaryBytes;

    private nint Block => _block != 0 ? _block : throw new ObjectDisposedException(nameof(DeviceBuffer));

    /// <summary>Allocates the payload and both canary regions, and writes the canaries.</summary>
    public static DeviceBuffer Allocate(long sizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        var buffer = new DeviceBuffer(CudaRuntime.Malloc(CanaryBytes + sizeBytes + CanaryBytes), sizeBytes);
        try
        {
            buffer.ResetCanaries();
            return buffer;
        }
        catch (CudaException)
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Rewrites both canary regions with <see cref="CanaryByte"/>.</summary>
    public void ResetCanaries()
    {
        CudaRuntime.Memset(Block, CanaryByte, CanaryBytes);
        CudaRuntime.Memset(Pointer + (nint)SizeBytes, CanaryByte, CanaryBytes);
    }

    /// <summary>True when neither canary region changed since the last reset.</summary>
    public bool CanariesIntact() => DescribeCanaryDamage() is null;

    /// <summary>Null when both canary regions are intact; otherwise which of them changed, for the failure message.</summary>
    public string? DescribeCanaryDamage()
    {
        var before = RegionIntact(Block);
        var after = RegionIntact(Pointer + (nint)SizeBytes);
        return (before, after) switch
        {
            (true, true) => null,
            (false, true) => $"the {CanaryBytes}-byte guard before it changed",
            (true, false) => $"the {CanaryBytes}-byte guard after it changed",
            _ => $"the {CanaryBytes}-byte guards before and after it changed",
        };
    }

    /// <summary>Copies <paramref name="data"/> into the payload, chunk by chunk.</summary>
    public void Upload(HostBytes data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != SizeBytes)
        {
            throw new ArgumentException($"Upload of {data.Length} bytes into a {SizeBytes}-byte buffer.", nameof(data));
        }

        var offset = 0L;
        foreach (var chunk in data.Chunks)
        {
            CudaRuntime.CopyHostToDevice(Pointer + (nint)offset, chunk);
            offset += chunk.Length;
        }
    }

    /// <summary>Copies <paramref name="data"/> rotated left by <paramref name="shiftBytes"/> (<see cref="FreshRotation.Segments"/>).</summary>
    public void UploadRotated(HostBytes data, long shiftBytes)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != SizeBytes)
        {
            throw new ArgumentException($"Upload of {data.Length} bytes into a {SizeBytes}-byte buffer.", nameof(data));
        }

        foreach (var (sourceOffset, destinationOffset, length) in FreshRotation.Segments(data.Length, shiftBytes))
        {
            var destination = Pointer + (nint)(destinationOffset - sourceOffset);
            data.ForEachRange(sourceOffset, length, (offset, bytes) => CudaRuntime.CopyHostToDevice(destination + (nint)offset, bytes));
        }
    }

    /// <summary>
    /// Fills the payload with <paramref name="tile"/> repeated (the last copy cut short): a poison pattern of whole
    /// elements, so every element gets one whatever the buffer's size.
    /// </summary>
    public void FillRepeating(byte[] tile)
    {
        ArgumentNullException.ThrowIfNull(tile);
        if (tile.Length == 0)
        {
            if (SizeBytes != 0)
            {
                throw new ArgumentException("An empty tile cannot fill a non-empty buffer.", nameof(tile));
            }

            return;
        }

        for (var offset = 0L; offset < SizeBytes; offset += tile.Length)
        {
            CudaRuntime.CopyHostToDevice(Pointer + (nint)offset, tile.AsSpan(0, (int)Math.Min(tile.Length, SizeBytes - offset)));
        }
    }

    /// <summary>Copies the payload to new host memory (synchronous with respect to the host).</summary>
    public HostBytes Download()
    {
        var data = HostBytes.Allocate(SizeBytes);
        var offset = 0L;
        foreach (var chunk in data.Chunks)
        {
            CudaRuntime.CopyDeviceToHost(chunk, Pointer + (nint)offset);
            offset += chunk.Length;
        }

        return data;
    }

    /// <summary>Frees the block. Errors are ignored: after a sticky CUDA error every call fails and nothing can be done.</summary>
    public void Dispose()
    {
        if (_block != 0)
        {
            _ = CudaRuntime.FreeCode(_block);
            _block = 0;
        }
    }

    private static bool RegionIntact(nint region)
    {
        var bytes = new byte[CanaryBytes];
        CudaRuntime.CopyDeviceToHost(bytes, region);
        return !bytes.AsSpan().ContainsAnyExcept(CanaryByte);
    }
}
