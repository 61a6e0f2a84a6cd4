using System.Buffers.Binary;
using System.Text;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Reads the exported dynamic symbols of an ELF64 shared library, without binutils.</summary>
/// <remarks>
/// Only what a built candidate needs: little-endian ELF64 (x86-64 and Arm servers), the <c>.dynsym</c> section and
/// its string table. A symbol counts as exported when it is defined in the library, has global or weak binding,
/// and has default or protected visibility — what <c>dlsym</c> can find.
/// </remarks>
public static class ElfSymbols
{
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const uint DynamicSymbolSection = 11; // SHT_DYNSYM
    private const int UndefinedSection = 0;       // SHN_UNDEF

    /// <summary>Names of the symbols the library at <paramref name="path"/> exports.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed little-endian ELF64 file.</exception>
    public static async Task<IReadOnlyList<string>> ReadExportedNamesAsync(string path, CancellationToken cancellationToken = default)
    {
        var image = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            return ReadExportedNames(image);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"'{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Names of the symbols the ELF64 <paramref name="image"/> exports.</summary>
    /// <exception cref="InvalidDataException">The image is not a well-formed little-endian ELF64 file.</exception>
    public static IReadOnlyList<string> ReadExportedNames(ReadOnlySpan<byte> image)
    {
        try
        {
            return Read(image);
        }
        catch (OverflowException ex)
        {
            throw new InvalidDataException("a section offset or count is out of range.", ex);
        }
    }

    private static List<string> Read(ReadOnlySpan<byte> image)
    {
        if (image.Length < 64 || image[0] != 0x7F || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file.");
        }

        if (image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException("not a little-endian ELF64 file.");
        }

        var sectionTable = checked((int)UInt64(image, 0x28));
        var sectionCount = (int)UInt16(image, 0x3C);
        if (sectionCount == 0 && sectionTable != 0)
        {
            // Extended numbering: the real count sits in section 0's sh_size.
            sectionCount = checked((int)UInt64(image, sectionTable + 32));
        }

        var names = new List<string>();
        for (var section = 0; section < sectionCount; section++)
        {
            var header = sectionTable + (section * SectionHeaderSize);
            if (UInt32(image, header + 4) != DynamicSymbolSection)
            {
                continue;
            }

            var symbols = Slice(image, UInt64(image, header + 24), UInt64(image, header + 32));
            var stringSection = sectionTable + (checked((int)UInt32(image, header + 40)) * SectionHeaderSize);
            var strings = Slice(image, UInt64(image, stringSection + 24), UInt64(image, stringSection + 32));
            for (var offset = SymbolSize; offset + SymbolSize <= symbols.Length; offset += SymbolSize)
            {
                var info = symbols[offset + 4];
                var visibility = symbols[offset + 5] & 0x3;
                var binding = info >> 4;
                var defined = UInt16(symbols, offset + 6) != UndefinedSection;
                if (defined && binding is 1 or 2 && visibility is 0 or 3)
                {
                    names.Add(ReadString(strings, (int)UInt32(symbols, offset)));
                }
            }
        }

        return names;
    }

    private static string ReadString(ReadOnlySpan<byte> table, int offset)
    {
        if ((uint)offset >= (uint)table.Length)
        {
            throw new InvalidDataException("a symbol name lies outside its string table.");
        }

        var rest = table[offset..];
        var end = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> image, ulong offset, ulong length) =>
        offset <= (ulong)image.Length && length <= (ulong)image.Length - offset
            ? image.Slice((int)offset, (int)length)
            : throw new InvalidDataException("a section lies outside the file.");

    private static ushort UInt16(ReadOnlySpan<byte> image, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(image, (ulong)offset, 2));

    private static uint UInt32(ReadOnlySpan<byte> image, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(image, (ulong)offset, 4));

    private static ulong UInt64(ReadOnlySpan<byte> image, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(image, (ulong)offset, 8));
}
