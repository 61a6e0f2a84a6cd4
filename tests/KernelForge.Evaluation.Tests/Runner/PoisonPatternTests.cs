using System.Buffers.Binary;
using KernelForge.Core;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Runner;

public sealed class PoisonPatternTests
{
    [Fact]
    public void ElementBytes_Float32_IsLittleEndianNaNWithPayload()
    {
        var bytes = PoisonPattern.ElementBytes(DataType.Float32);

        Assert.Equal(new byte[] { 0xAD, 0xDE, 0xC0, 0x7F }, bytes);
        Assert.True(float.IsNaN(BinaryPrimitives.ReadSingleLittleEndian(bytes)));
    }

    [Fact]
    public void ElementBytes_Float64_IsLittleEndianNaNWithPayload()
    {
        var bytes = PoisonPattern.ElementBytes(DataType.Float64);

        Assert.Equal(new byte[] { 0xAD, 0xDE, 0xAD, 0xDE, 0xAD, 0xDE, 0xF8, 0x7F }, bytes);
        Assert.True(double.IsNaN(BinaryPrimitives.ReadDoubleLittleEndian(bytes)));
    }

    [Fact]
    public void ElementBytes_Float16_IsNaN()
    {
        var bytes = PoisonPattern.ElementBytes(DataType.Float16);

        Assert.Equal(new byte[] { 0x5E, 0x7E }, bytes);
        Assert.True(Half.IsNaN(BinaryPrimitives.ReadHalfLittleEndian(bytes)));
    }

    [Fact]
    public void ElementBytes_BFloat16_HasTheSameBitsAsFloat16()
    {
        Assert.Equal(new byte[] { 0x5E, 0x7E }, PoisonPattern.ElementBytes(DataType.BFloat16));
    }

    [Theory]
    [InlineData(DataType.Int32, 4)]
    [InlineData(DataType.Int64, 8)]
    [InlineData(DataType.Bool, 1)]
    [InlineData(DataType.Int8, 1)]
    [InlineData(DataType.UInt8, 1)]
    public void ElementBytes_IntegerTypes_AreAll0x5A(DataType dataType, int elementBytes)
    {
        var bytes = PoisonPattern.ElementBytes(dataType);

        Assert.Equal(elementBytes, bytes.Length);
        Assert.All(bytes, b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void Create_RepeatsTheElementPattern()
    {
        var bytes = PoisonPattern.Create(DataType.Float32, 3);

        Assert.Equal(12, bytes.Length);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(PoisonPattern.Float32Bits, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4)));
        }
    }

    [Fact]
    public void Create_ZeroElements_IsEmpty()
    {
        Assert.Empty(PoisonPattern.Create(DataType.Float64, 0));
    }

    [Fact]
    public void Fill_PartialElement_Throws()
    {
        Assert.Throws<ArgumentException>(() => PoisonPattern.Fill(new byte[6], DataType.Float32));
    }
}
