using System.Buffers.Binary;
using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// The bytes the runner writes into every output before a call (docs/protocol.md), so that the worker's check can
/// tell an element the kernel never wrote (<c>unwritten_output</c>) from one it wrote.
/// </summary>
/// <remarks>
/// Floating types get a NaN with a recognizable payload; integer and bool types get all bytes <c>0x5A</c>.
/// Bytes are little-endian, as on the device. Note that <c>0x7E5E</c> is a NaN in float16 but a large finite
/// value (about 7.4e37) in bfloat16; the check recognizes poison by its bits, not by NaN-ness.
/// </remarks>
public static class PoisonPattern
{
    public const uint Float32Bits = 0x7FC0DEAD;
    public const ulong Float64Bits = 0x7FF8DEADDEADDEAD;
    public const ushort HalfBits = 0x7E5E;
    public const byte IntegerByte = 0x5A;

    /// <summary>The poison of one element of <paramref name="dataType"/>, little-endian.</summary>
    public static byte[] ElementBytes(DataType dataType)
    {
        var bytes = new byte[dataType.ElementBytes()];
        switch (dataType)
        {
            case DataType.Float32:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, Float32Bits);
                break;
            case DataType.Float64:
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, Float64Bits);
                break;
            case DataType.Float16 or DataType.BFloat16:
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, HalfBits);
                break;
            default:
                bytes.AsSpan().Fill(IntegerByte);
                break;
        }

        return bytes;
    }

    /// <summary>The poison of <paramref name="elementCount"/> elements, ready to copy into an output buffer.</summary>
    public static byte[] Create(DataType dataType, long elementCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementCount);
        var element = ElementBytes(dataType);
        var totalBytes = elementCount * element.Length;
        if (totalBytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(elementCount), elementCount, "The poison does not fit in one host array.");
        }

        var bytes = new byte[totalBytes];
        Fill(bytes, dataType);
        return bytes;
    }

    /// <summary>Repeats one element's poison over <paramref name="destination"/>, whose length must be a whole number of elements.</summary>
    public static void Fill(Span<byte> destination, DataType dataType)
    {
        var element = ElementBytes(dataType);
        if (destination.Length % element.Length != 0)
        {
            throw new ArgumentException($"{destination.Length} bytes is not a whole number of {dataType.ToProtocolName()} elements.", nameof(destination));
        }

        if (element.Length == 1)
        {
            destination.Fill(element[0]);
            return;
        }

        for (var offset = 0; offset < destination.Length; offset += element.Length)
        {
            element.CopyTo(destination[offset..]);
        }
    }
}
