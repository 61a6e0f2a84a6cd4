using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KernelForge.Core;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Runner;

// The structs cross into native code, so their layout must match abi/kforge_abi.h byte for byte. The test project has
// no unsafe code, so fields are read back through the struct's bytes, which checks the offsets as a bonus.
public sealed class KfTensorTests
{
    [Fact]
    public void KfTensor_MatchesTheHeaderLayout()
    {
        Assert.Equal(144, Unsafe.SizeOf<KfTensor>());
        Assert.Equal(144, Marshal.SizeOf<KfTensor>());
        Assert.Equal(0, (int)Marshal.OffsetOf<KfTensor>("Data"));
        Assert.Equal(8, (int)Marshal.OffsetOf<KfTensor>("DataType"));
        Assert.Equal(12, (int)Marshal.OffsetOf<KfTensor>("DimensionCount"));
        Assert.Equal(16, (int)Marshal.OffsetOf<KfTensor>("Shape"));
        Assert.Equal(80, (int)Marshal.OffsetOf<KfTensor>("Strides"));
    }

    [Fact]
    public void KfContext_MatchesTheHeaderLayout()
    {
        Assert.Equal(40, Unsafe.SizeOf<KfContext>());
        Assert.Equal(0, (int)Marshal.OffsetOf<KfContext>("AbiVersion"));
        Assert.Equal(4, (int)Marshal.OffsetOf<KfContext>("Device"));
        Assert.Equal(8, (int)Marshal.OffsetOf<KfContext>("Workspace"));
        Assert.Equal(16, (int)Marshal.OffsetOf<KfContext>("Cublas"));
        Assert.Equal(24, (int)Marshal.OffsetOf<KfContext>("Harness"));
        // Appended after harness, so kernels built against the 32-byte header read every field they know where it was.
        Assert.Equal(32, (int)Marshal.OffsetOf<KfContext>("Cudnn"));
    }

    [Fact]
    public void Contiguous_ThreeDimensions_WritesCOrderStridesInElementsAndOnesBeyond()
    {
        var bytes = Bytes(KfTensor.Contiguous(0x1000, new TensorSpec("x", [2, 3, 4], DataType.Float16, TensorRole.Input)));

        Assert.Equal(0x1000L, BinaryPrimitives.ReadInt64LittleEndian(bytes));
        Assert.Equal((int)DataType.Float16, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal([2L, 3L, 4L, 1L, 1L, 1L, 1L, 1L], Int64s(bytes, 16));
        Assert.Equal([12L, 4L, 1L, 1L, 1L, 1L, 1L, 1L], Int64s(bytes, 80));
    }

    [Fact]
    public void Contiguous_ZeroDimensions_IsAScalar()
    {
        var bytes = Bytes(KfTensor.Contiguous(0, new TensorSpec("s", [], DataType.Float32, TensorRole.Input)));

        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.All(Int64s(bytes, 16), extent => Assert.Equal(1L, extent));
    }

    [Fact]
    public void Contiguous_NineDimensions_Throws()
    {
        Assert.Throws<ArgumentException>(() => KfTensor.Contiguous(0, new TensorSpec("x", [1, 1, 1, 1, 1, 1, 1, 1, 1], DataType.Float32, TensorRole.Input)));
    }

    private static byte[] Bytes(KfTensor tensor) => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref tensor, 1)).ToArray();

    private static long[] Int64s(byte[] bytes, int offset) =>
        [.. Enumerable.Range(0, KfTensor.MaxDimensions).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + 8 * i)))];
}
