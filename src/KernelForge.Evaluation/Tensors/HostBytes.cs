namespace KernelForge.Evaluation.Tensors;

/// <summary>
/// Bytes in host memory, of any length: a row of arrays (chunks) of <see cref="ChunkBytes"/> each, the last one shorter.
/// One .NET array holds at most <see cref="Array.MaxLength"/> bytes (just under 2 GiB), and a problem's tensor may hold
/// more: a 2048 × 1048576 float32 matrix is 8 GiB.
/// </summary>
/// <remarks>
/// The chunk size is a multiple of every element size (8 bytes at most), so a chunk always holds whole elements and
/// element-wise work can go chunk by chunk. Two instances may have different chunk sizes; <see cref="ForEachSegment"/>
/// walks both at once.
/// </remarks>
public sealed class HostBytes
{
    /// <summary>The chunk size of <see cref="Allocate(long)"/>: 1 GiB.</summary>
    public const int DefaultChunkBytes = 1 << 30;

    private readonly byte[][] _chunks;

    private HostBytes(byte[][] chunks, long length, int chunkBytes)
    {
        _chunks = chunks;
        Length = length;
        ChunkBytes = chunkBytes;
    }

    /// <summary>A view of one stretch that two instances share: same offset, same length, one span from each.</summary>
    public delegate void SegmentAction(long offset, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second);

    /// <summary>One contiguous stretch of a range: its offset in the whole and its bytes.</summary>
    public delegate void RangeAction(long offset, ReadOnlySpan<byte> bytes);

    public long Length { get; }

    /// <summary>Bytes per chunk (the last chunk may be shorter).</summary>
    public int ChunkBytes { get; }

    /// <summary>The chunks in order; chunk <c>i</c> starts at byte <c>i * ChunkBytes</c>.</summary>
    public IReadOnlyList<byte[]> Chunks => _chunks;

    /// <summary>Zeroed bytes in chunks of <see cref="DefaultChunkBytes"/>.</summary>
    public static HostBytes Allocate(long length) => Allocate(length, DefaultChunkBytes);

    /// <summary>Zeroed bytes in chunks of <paramref name="chunkBytes"/> (a positive multiple of 8; tests use small ones).</summary>
    public static HostBytes Allocate(long length, int chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (chunkBytes <= 0 || chunkBytes % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "The chunk size must be a positive multiple of 8, so that chunks hold whole elements.");
        }

        var count = (int)((length + chunkBytes - 1) / chunkBytes);
        var chunks = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            chunks[i] = new byte[Math.Min(chunkBytes, length - ((long)i * chunkBytes))];
        }

        return new HostBytes(chunks, length, chunkBytes);
    }

    /// <summary>These bytes, without a copy when they fit in one chunk of <see cref="DefaultChunkBytes"/>.</summary>
    public static HostBytes Of(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length <= DefaultChunkBytes)
        {
            return new HostBytes(data.Length == 0 ? [] : [data], data.Length, DefaultChunkBytes);
        }

        var bytes = Allocate(data.Length);
        for (var i = 0; i < bytes._chunks.Length; i++)
        {
            data.AsSpan(i * DefaultChunkBytes, bytes._chunks[i].Length).CopyTo(bytes._chunks[i]);
        }

        return bytes;
    }

    /// <summary>All the bytes in one array; only for lengths up to <see cref="Array.MaxLength"/>.</summary>
    public byte[] ToArray()
    {
        if (Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"{Length} bytes do not fit in one array; go through Chunks instead.");
        }

        var all = new byte[Length];
        var offset = 0;
        foreach (var chunk in _chunks)
        {
            chunk.CopyTo(all, offset);
            offset += chunk.Length;
        }

        return all;
    }

    /// <summary>
    /// Calls <paramref name="action"/> on consecutive stretches that are contiguous in both instances, in order, covering
    /// all bytes. Each stretch is a multiple of 8 bytes except possibly the last, so it holds whole elements.
    /// </summary>
    public static void ForEachSegment(HostBytes first, HostBytes second, SegmentAction action)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(action);
        if (first.Length != second.Length)
        {
            throw new ArgumentException($"The two hold {first.Length} and {second.Length} bytes; segments need equal lengths.", nameof(second));
        }

        var offset = 0L;
        while (offset < first.Length)
        {
            var (a, aStart) = first.Locate(offset);
            var (b, bStart) = second.Locate(offset);
            var count = Math.Min(a.Length - aStart, b.Length - bStart);
            action(offset, a.AsSpan(aStart, count), b.AsSpan(bStart, count));
            offset += count;
        }
    }

    /// <summary>Bytes from the start on which both agree; <see cref="Length"/> when all do.</summary>
    public long CommonPrefixLength(HostBytes other)
    {
        var prefix = -1L;
        ForEachSegment(this, other, (offset, a, b) =>
        {
            if (prefix < 0)
            {
                var common = a.CommonPrefixLength(b);
                prefix = common < a.Length ? offset + common : -1;
            }
        });
        return prefix < 0 ? Length : prefix;
    }

    /// <summary>How many bytes differ.</summary>
    public long CountDifferences(HostBytes other)
    {
        var differing = 0L;
        ForEachSegment(this, other, (_, a, b) =>
        {
            for (var i = a.CommonPrefixLength(b); i < a.Length; i++)
            {
                differing += a[i] != b[i] ? 1 : 0;
            }
        });
        return differing;
    }

    public bool SequenceEqual(HostBytes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Length == other.Length && CommonPrefixLength(other) == Length;
    }

    /// <summary>
    /// Calls <paramref name="action"/> on the contiguous stretches of bytes [<paramref name="offset"/>,
    /// <paramref name="offset"/> + <paramref name="length"/>), in order.
    /// </summary>
    public void ForEachRange(long offset, long length, RangeAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (offset < 0 || length < 0 || offset + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Bytes [{offset}, {offset + length}) are not within the {Length} held.");
        }

        var end = offset + length;
        while (offset < end)
        {
            var (chunk, start) = Locate(offset);
            var count = (int)Math.Min(chunk.Length - start, end - offset);
            action(offset, chunk.AsSpan(start, count));
            offset += count;
        }
    }

    private (byte[] Chunk, int Start) Locate(long offset) =>
        (_chunks[(int)(offset / ChunkBytes)], (int)(offset % ChunkBytes));
}
