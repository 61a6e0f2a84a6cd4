using System.Buffers.Binary;
using System.Text;
using KernelForge.Core;

namespace KernelForge.Evaluation.Tensors;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format 1.0, 2.0 and 3.0): the way tensors travel between the worker and
/// the ABI runner. Little-endian, C order only.
/// </summary>
/// <remarks>Format reference: numpy/lib/format.py (magic <c>\x93NUMPY</c>, version, header length, a Python dict literal).</remarks>
public static class NpyFile
{
    /// <summary>numpy pads the header so the data starts on a 64-byte boundary (numpy/lib/format.py, ARRAY_ALIGN).</summary>
    private const int HeaderAlignmentBytes = 64;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The <c>descr</c> NumPy writes for each type. bfloat16 has no NumPy dtype and is absent on purpose.</summary>
    private static readonly (string Descr, DataType Type)[] Descriptors =
    [
        ("<f4", DataType.Float32),
        ("<f8", DataType.Float64),
        ("<f2", DataType.Float16),
        ("<i4", DataType.Int32),
        ("<i8", DataType.Int64),
        ("|b1", DataType.Bool),
        ("|i1", DataType.Int8),
        ("|u1", DataType.UInt8),
    ];

    /// <summary>Reads a whole <c>.npy</c> file.</summary>
    /// <exception cref="InvalidDataException">The file is not an .npy this reader supports; the message says why and what to do.</exception>
    public static HostTensor Read(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads one array from <paramref name="stream"/>, which is left just after the array's data.</summary>
    public static HostTensor Read(Stream stream) => Read(stream, HostBytes.DefaultChunkBytes);

    /// <summary>As <see cref="Read(Stream)"/>, holding the data in chunks of <paramref name="chunkBytes"/> (tests use small ones).</summary>
    internal static HostTensor Read(Stream stream, int chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> preamble = stackalloc byte[8];
        ReadExactly(stream, preamble, "the magic and version");
        if (!preamble[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a NumPy .npy file: it does not start with the magic bytes \\x93NUMPY. Write it with numpy.save.");
        }

        int major = preamble[6];
        int minor = preamble[7];
        int headerBytes;
        if (major == 1)
        {
            Span<byte> length = stackalloc byte[2];
            ReadExactly(stream, length, "the header length");
            headerBytes = BinaryPrimitives.ReadUInt16LittleEndian(length);
        }
        else if (major is 2 or 3)
        {
            Span<byte> length = stackalloc byte[4];
            ReadExactly(stream, length, "the header length");
            var length32 = BinaryPrimitives.ReadUInt32LittleEndian(length);
            if (length32 > int.MaxValue)
            {
                throw new InvalidDataException($"Header length {length32} is implausible; the file is corrupt.");
            }

            headerBytes = (int)length32;
        }
        else
        {
            throw new InvalidDataException($"Unsupported .npy format version {major}.{minor}; this reader supports 1.0, 2.0 and 3.0.");
        }

        var headerData = new byte[headerBytes];
        ReadExactly(stream, headerData, "the header");
        // Versions 1 and 2 store the header in latin-1 (in practice ASCII); version 3 in UTF-8.
        var header = major == 3 ? Encoding.UTF8.GetString(headerData) : Encoding.Latin1.GetString(headerData);
        var (dataType, shape) = ParseHeader(header);

        var elementCount = shape.Aggregate(1L, (product, extent) => product * extent);
        var dataBytes = elementCount * dataType.ElementBytes();
        if (stream.CanSeek && stream.Length - stream.Position < dataBytes)
        {
            throw new InvalidDataException(
                $"The file ends before the {dataBytes} data bytes of a {dataType.ToProtocolName()} {HostTensor.FormatShape(shape)} array ({stream.Length - stream.Position} are there); it is truncated.");
        }

        var data = HostBytes.Allocate(dataBytes, chunkBytes);
        foreach (var chunk in data.Chunks)
        {
            ReadExactly(stream, chunk, $"the {dataBytes} data bytes of a {dataType.ToProtocolName()} {HostTensor.FormatShape(shape)} array");
        }

        return new HostTensor(shape, dataType, data);
    }

    /// <summary>Writes <paramref name="tensor"/> to <paramref name="path"/>, replacing any file there.</summary>
    public static void Write(string path, HostTensor tensor)
    {
        using var stream = File.Create(path);
        Write(stream, tensor);
    }

    /// <summary>Writes <paramref name="tensor"/> as NumPy does: format 1.0 (2.0 when the header needs it), header padded to 64 bytes.</summary>
    public static void Write(Stream stream, HostTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        var header = FormatHeader(tensor.DataType, tensor.Shape);
        var headerBytes = Encoding.ASCII.GetByteCount(header);

        // Preamble: magic (6) + version (2) + header length (2 in 1.0, 4 in 2.0). The '\n' ends the padded header.
        var major = 10 + headerBytes + 1 <= ushort.MaxValue ? 1 : 2;
        var preambleBytes = major == 1 ? 10 : 12;
        var paddedHeaderBytes = AlignUp(preambleBytes + headerBytes + 1, HeaderAlignmentBytes) - preambleBytes;

        var preamble = new byte[preambleBytes];
        Magic.CopyTo(preamble, 0);
        preamble[6] = (byte)major;
        preamble[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(preamble.AsSpan(8), (ushort)paddedHeaderBytes);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(preamble.AsSpan(8), (uint)paddedHeaderBytes);
        }

        stream.Write(preamble);
        stream.Write(Encoding.ASCII.GetBytes(header.PadRight(paddedHeaderBytes - 1) + "\n"));
        foreach (var chunk in tensor.Data.Chunks)
        {
            stream.Write(chunk);
        }
    }

    /// <summary>The header dict NumPy writes, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.</summary>
    internal static string FormatHeader(DataType dataType, IReadOnlyList<long> shape) =>
        $"{{'descr': '{DescrOf(dataType)}', 'fortran_order': False, 'shape': {HostTensor.FormatShape(shape)}, }}";

    internal static (DataType DataType, IReadOnlyList<long> Shape) ParseHeader(string header)
    {
        var fields = NpyHeaderParser.ParseDictionary(header);
        if (!fields.TryGetValue("descr", out var descrValue) || descrValue is not string descr)
        {
            throw new InvalidDataException($"The header has no 'descr' string: {header.Trim()}");
        }

        if (!fields.TryGetValue("fortran_order", out var orderValue) || orderValue is not bool fortranOrder)
        {
            throw new InvalidDataException($"The header has no 'fortran_order' flag: {header.Trim()}");
        }

        if (!fields.TryGetValue("shape", out var shapeValue) || shapeValue is not IReadOnlyList<long> shape)
        {
            throw new InvalidDataException($"The header has no 'shape' tuple: {header.Trim()}");
        }

        if (fortranOrder)
        {
            throw new InvalidDataException("The array is stored in Fortran order; save a C-order array instead (numpy.ascontiguousarray).");
        }

        return (TypeOf(descr), shape);
    }

    private static DataType TypeOf(string descr)
    {
        if (descr.Length == 3 && descr[0] == '>' && descr[2] != '1')
        {
            throw new InvalidDataException($"The array is big-endian ('{descr}'); save it little-endian (array.astype(array.dtype.newbyteorder('<'))).");
        }

        // One-byte types have no byte order; NumPy writes '|' but '<', '>' and '=' mean the same.
        // '=' (native) is little-endian on every machine this runs on; the check keeps that honest.
        var normalized = descr;
        if (descr.Length == 3 && descr[2] == '1' && descr[0] is '<' or '>' or '=')
        {
            normalized = "|" + descr[1..];
        }
        else if (descr.Length == 3 && descr[0] == '=' && BitConverter.IsLittleEndian)
        {
            normalized = "<" + descr[1..];
        }

        foreach (var (known, type) in Descriptors)
        {
            if (known == normalized)
            {
                return type;
            }
        }

        throw new InvalidDataException(
            $"Unsupported dtype '{descr}'; supported: {string.Join(", ", Descriptors.Select(d => d.Descr))} (float32, float64, float16, int32, int64, bool, int8, uint8).");
    }

    private static string DescrOf(DataType dataType)
    {
        foreach (var (descr, type) in Descriptors)
        {
            if (type == dataType)
            {
                return descr;
            }
        }

        throw new NotSupportedException($"{dataType.ToProtocolName()} has no NumPy dtype, so it cannot be written as .npy.");
    }

    private static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"The file ends before {what}; it is truncated.", ex);
        }
    }
}
