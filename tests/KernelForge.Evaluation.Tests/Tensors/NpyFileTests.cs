using System.Buffers.Binary;
using System.Text;
using KernelForge.Core;
using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Tests.Tensors;

public sealed class NpyFileTests
{
    public static TheoryData<DataType> SupportedTypes =>
    [
        DataType.Float32, DataType.Float64, DataType.Float16, DataType.Int32, DataType.Int64, DataType.Bool, DataType.Int8, DataType.UInt8,
    ];

    [Theory]
    [MemberData(nameof(SupportedTypes))]
    public void WriteThenRead_EveryType_RoundTrips(DataType dataType)
    {
        var data = new byte[6 * dataType.ElementBytes()];
        new Random(7).NextBytes(data);
        var tensor = new HostTensor([2, 3], dataType, data);

        var read = NpyFile.Read(new MemoryStream(Write(tensor)));

        Assert.Equal(dataType, read.DataType);
        Assert.Equal([2L, 3L], read.Shape);
        Assert.Equal(data, read.Data.ToArray());
    }

    [Fact]
    public void Write_Float32_WritesNumpysHeaderAlignedTo64Bytes()
    {
        var bytes = Write(new HostTensor([2, 3], DataType.Float32, new byte[24]));

        Assert.Equal(Encoding.Latin1.GetBytes("\x93NUMPY"), bytes[..6]);
        Assert.Equal(1, bytes[6]);
        Assert.Equal(0, bytes[7]);
        var headerBytes = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerBytes) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerBytes);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header, StringComparison.Ordinal);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(10 + headerBytes + 24, bytes.Length);
    }

    [Fact]
    public void Read_HeaderAsNumpyWritesIt_Parses()
    {
        var values = new float[] { 1, 2, 3, 4, 5, 6 };
        var data = new byte[24];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        }

        var tensor = NpyFile.Read(new MemoryStream(HandWritten(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data)));

        Assert.Equal(DataType.Float32, tensor.DataType);
        Assert.Equal([2L, 3L], tensor.Shape);
        Assert.Equal(6.0f, BinaryPrimitives.ReadSingleLittleEndian(tensor.Data.ToArray().AsSpan(20)));
    }

    [Theory]
    [InlineData("()", new long[0], 1)]
    [InlineData("(5,)", new long[] { 5 }, 5)]
    [InlineData("(0, 4)", new long[] { 0, 4 }, 0)]
    [InlineData("(2L, 3L)", new long[] { 2, 3 }, 6)]
    public void Read_Shapes_Parse(string shapeText, long[] expectedShape, int elementCount)
    {
        var tensor = NpyFile.Read(new MemoryStream(HandWritten(1, $"{{'descr': '<i8', 'fortran_order': False, 'shape': {shapeText}, }}", new byte[elementCount * 8])));

        Assert.Equal(expectedShape, tensor.Shape);
        Assert.Equal(elementCount, tensor.ElementCount);
    }

    [Fact]
    public void Read_Version2Header_Parses()
    {
        var tensor = NpyFile.Read(new MemoryStream(HandWritten(2, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", [1, 2, 3])));

        Assert.Equal(DataType.UInt8, tensor.DataType);
        Assert.Equal(new byte[] { 1, 2, 3 }, tensor.Data.ToArray());
    }

    [Fact]
    public void Read_KeysInAnotherOrderWithDoubleQuotes_Parses()
    {
        var tensor = NpyFile.Read(new MemoryStream(HandWritten(1, "{\"shape\": (1,), \"fortran_order\": False, \"descr\": \"|b1\"}", [1])));

        Assert.Equal(DataType.Bool, tensor.DataType);
    }

    [Fact]
    public void Read_BadMagic_ThrowsClearError()
    {
        var bytes = HandWritten(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        bytes[1] = (byte)'X';

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(new MemoryStream(bytes)));

        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FortranOrder_IsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            NpyFile.Read(new MemoryStream(HandWritten(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]))));

        Assert.Contains("Fortran order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BigEndian_IsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            NpyFile.Read(new MemoryStream(HandWritten(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]))));

        Assert.Contains("big-endian", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnsupportedDtype_NamesTheSupportedOnes()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            NpyFile.Read(new MemoryStream(HandWritten(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]))));

        Assert.Contains("'<c8'", error.Message, StringComparison.Ordinal);
        Assert.Contains("<f4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedData_SaysTruncated()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            NpyFile.Read(new MemoryStream(HandWritten(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[8]))));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FromPath_PrefixesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kforge-npy-{Guid.NewGuid():N}.npy");
        File.WriteAllBytes(path, [1, 2, 3]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

            Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WriteThenRead_File_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kforge-npy-{Guid.NewGuid():N}.npy");
        try
        {
            NpyFile.Write(path, new HostTensor([], DataType.Float64, new byte[8]));

            var read = NpyFile.Read(path);

            Assert.Empty(read.Shape);
            Assert.Equal(DataType.Float64, read.DataType);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_BFloat16_IsRefusedBecauseNumpyHasNoSuchType()
    {
        Assert.Throws<NotSupportedException>(() => Write(new HostTensor([1], DataType.BFloat16, new byte[2])));
    }

    [Fact]
    public void HostTensor_WrongByteCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HostTensor([2, 3], DataType.Float32, new byte[23]));
    }

    private static byte[] Write(HostTensor tensor)
    {
        var stream = new MemoryStream();
        NpyFile.Write(stream, tensor);
        return stream.ToArray();
    }

    /// <summary>An .npy as numpy writes it: header padded with spaces and ended by '\n' so the data starts at a multiple of 64.</summary>
    private static byte[] HandWritten(int major, string dictionary, byte[] data)
    {
        var preambleBytes = major == 1 ? 10 : 12;
        var total = (preambleBytes + dictionary.Length + 1 + 63) / 64 * 64;
        var header = dictionary.PadRight(total - preambleBytes - 1) + "\n";
        var stream = new MemoryStream();
        stream.Write(Encoding.Latin1.GetBytes("\x93NUMPY"));
        stream.WriteByte((byte)major);
        stream.WriteByte(0);
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        }

        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
        return stream.ToArray();
    }
}
