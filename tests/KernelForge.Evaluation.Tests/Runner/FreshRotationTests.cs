using KernelForge.Core;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Tests.Runner;

public sealed class FreshRotationTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(10, 13)]
    [InlineData(10, -7)]
    [InlineData(1, 1)]
    public void Segments_RotateLeft(long lengthBytes, long shiftBytes)
    {
        var source = Enumerable.Range(0, (int)lengthBytes).Select(i => (byte)i).ToArray();
        var destination = new byte[lengthBytes];

        foreach (var (sourceOffset, destinationOffset, length) in FreshRotation.Segments(lengthBytes, shiftBytes))
        {
            Array.Copy(source, sourceOffset, destination, destinationOffset, length);
        }

        var shift = ((shiftBytes % lengthBytes) + lengthBytes) % lengthBytes;
        Assert.Equal(source.Select((_, j) => source[(j + shift) % lengthBytes]), destination);
    }

    [Fact]
    public void Segments_EmptyData_NoCopies() => Assert.Empty(FreshRotation.Segments(0, 4));

    [Fact]
    public void Changes_DistinctValues_True() =>
        Assert.True(FreshRotation.Changes(HostBytes.Of([1, 2, 3, 4, 5, 6, 7, 8]), 2));

    [Theory]
    [InlineData(new byte[] { 7, 7, 7, 7, 7, 7 }, 1)]
    [InlineData(new byte[] { 1, 2, 1, 2, 1, 2 }, 2)]
    [InlineData(new byte[] { 1, 2 }, 2)]
    public void Changes_PeriodicOrTooShort_False(byte[] data, long shiftBytes) =>
        Assert.False(FreshRotation.Changes(HostBytes.Of(data), shiftBytes));

    [Fact]
    public void Changes_AcrossChunks_ReadsThePrefix()
    {
        var data = HostBytes.Allocate(64, chunkBytes: 8);
        data.Chunks[1][3] = 9;

        Assert.True(FreshRotation.Changes(data, 8));
    }

    [Fact]
    public void Usable_OnlyConstantInputs_False()
    {
        var ones = new HostTensor([4], DataType.Float32, HostBytes.Of([.. Enumerable.Repeat(new byte[] { 0, 0, 0x80, 0x3F }, 4).SelectMany(b => b)]));

        Assert.False(FreshRotation.Usable([ones]));
    }

    [Fact]
    public void Usable_OneVaryingInputBesideConstants_True()
    {
        var ones = new HostTensor([4], DataType.Float32, HostBytes.Of([.. Enumerable.Repeat(new byte[] { 0, 0, 0x80, 0x3F }, 4).SelectMany(b => b)]));
        var varying = new HostTensor([4], DataType.Float32, HostBytes.Of([.. Enumerable.Range(0, 16).Select(i => (byte)i)]));

        Assert.True(FreshRotation.Usable([ones, varying]));
    }

    [Fact]
    public void Usable_PeriodTwoElements_False()
    {
        // 1, 2, 1, 2 as float32: rotating by two elements gives the same bytes, so the third call would repeat the first.
        var alternating = new HostTensor([4], DataType.Float32, HostBytes.Of([0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]));

        Assert.False(FreshRotation.Usable([alternating]));
    }

    [Fact]
    public void ForEachRange_SpansChunks_InOrder()
    {
        var data = HostBytes.Allocate(24, chunkBytes: 8);
        for (var i = 0; i < 24; i++)
        {
            data.Chunks[i / 8][i % 8] = (byte)i;
        }

        var seen = new List<byte>();
        var offsets = new List<long>();
        data.ForEachRange(5, 12, (offset, bytes) =>
        {
            offsets.Add(offset);
            seen.AddRange(bytes.ToArray());
        });

        Assert.Equal(Enumerable.Range(5, 12).Select(i => (byte)i), seen);
        Assert.Equal([5L, 8L, 16L], offsets);
    }

    [Fact]
    public void ForEachRange_PastTheEnd_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HostBytes.Allocate(8, 8).ForEachRange(4, 8, (_, _) => { }));
}
