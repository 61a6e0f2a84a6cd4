using System.Runtime.InteropServices;
using KernelForge.Core;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Tests.Tensors;

// Tensors over 2 GiB (one .NET array's limit) go through the same chunk walks as these small chunks, which keep the
// tests cheap: a chunk boundary at byte 16 exercises the code that a boundary at 1 GiB does.
public sealed class HostBytesTests
{
    [Fact]
    public void Allocate_SplitsIntoChunksOfTheGivenSize_LastOneShorter()
    {
        var bytes = HostBytes.Allocate(40, chunkBytes: 16);

        Assert.Equal([16, 16, 8], bytes.Chunks.Select(chunk => chunk.Length));
        Assert.Equal(40, bytes.Length);
    }

    [Fact]
    public void Allocate_ChunkSizeNotAMultipleOf8_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HostBytes.Allocate(40, chunkBytes: 12));
    }

    [Fact]
    public void ForEachSegment_DifferentChunkSizes_CoversEveryByteOnceInOrder()
    {
        var first = Sequence(40, chunkBytes: 16);
        var second = Sequence(40, chunkBytes: 24);
        var offsets = new List<(long Offset, int Length)>();

        HostBytes.ForEachSegment(first, second, (offset, a, b) =>
        {
            Assert.True(a.SequenceEqual(b));
            Assert.Equal((byte)offset, a[0]);
            offsets.Add((offset, a.Length));
        });

        Assert.Equal([(0L, 16), (16L, 8), (24L, 8), (32L, 8)], offsets);
    }

    [Fact]
    public void CommonPrefixLength_DifferenceInALaterChunk_CountsFromTheStart()
    {
        var first = Sequence(40, chunkBytes: 16);
        var second = Sequence(40, chunkBytes: 8);
        second.Chunks[4][3] ^= 0xFF;  // byte 35
        second.Chunks[2][0] ^= 0xFF;  // byte 16

        Assert.Equal(16, first.CommonPrefixLength(second));
        Assert.Equal(2, first.CountDifferences(second));
        Assert.False(first.SequenceEqual(second));
        Assert.True(first.SequenceEqual(Sequence(40, chunkBytes: 24)));
        Assert.Equal(40, first.CommonPrefixLength(Sequence(40, chunkBytes: 8)));
    }

    [Fact]
    public void ToArray_JoinsTheChunks()
    {
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (byte)i), Sequence(40, chunkBytes: 16).ToArray());
    }

    [Fact]
    public void NpyRead_SmallChunks_RoundTripsAcrossChunkBoundaries()
    {
        var values = Enumerable.Range(0, 11).Select(i => i * 1.5f - 4f).ToArray();
        var tensor = new HostTensor([11], DataType.Float32, MemoryMarshal.AsBytes<float>(values).ToArray());
        using var stream = new MemoryStream();
        NpyFile.Write(stream, tensor);
        stream.Position = 0;

        var read = NpyFile.Read(stream, chunkBytes: 16);

        Assert.Equal(3, read.Data.Chunks.Count);
        Assert.Equal(tensor.Data.ToArray(), read.Data.ToArray());
    }

    [Fact]
    public void NpyRead_TruncatedData_SaysSoBeforeAllocating()
    {
        var tensor = new HostTensor([4], DataType.Float64, new byte[32]);
        using var stream = new MemoryStream();
        NpyFile.Write(stream, tensor);
        using var truncated = new MemoryStream(stream.ToArray()[..^8]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(truncated));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatabilityCompare_ChangeInALaterChunk_ReportsItsFlatIndex()
    {
        var values = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();
        var first = Chunked(values, chunkBytes: 16);
        values[7] = 100f;
        var second = Chunked(values, chunkBytes: 8);

        var message = RepeatabilityCheck.Compare(first, second);

        Assert.NotNull(message);
        Assert.Contains("1 of 10 elements", message, StringComparison.Ordinal);
        Assert.Contains("flat index 7: 7 then 100", message, StringComparison.Ordinal);
    }

    private static HostBytes Sequence(int length, int chunkBytes)
    {
        var bytes = HostBytes.Allocate(length, chunkBytes);
        var value = 0;
        foreach (var chunk in bytes.Chunks)
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)value++;
            }
        }

        return bytes;
    }

    private static HostTensor Chunked(float[] values, int chunkBytes)
    {
        var all = MemoryMarshal.AsBytes<float>(values).ToArray();
        var bytes = HostBytes.Allocate(all.Length, chunkBytes);
        var offset = 0;
        foreach (var chunk in bytes.Chunks)
        {
            all.AsSpan(offset, chunk.Length).CopyTo(chunk);
            offset += chunk.Length;
        }

        return new HostTensor([values.Length], DataType.Float32, bytes);
    }
}
