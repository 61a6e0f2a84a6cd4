using System.Text;
using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

public sealed class ElfSymbolsTests
{
    [UnixFact]
    public async Task ReadExportedNamesAsync_RuntimeNativeLibrary_DefinedExportsOnly()
    {
        var names = await ElfSymbols.ReadExportedNamesAsync(TestPaths.RuntimeNativeLibrary);

        Assert.Contains("SystemNative_GetPid", names);
        Assert.DoesNotContain("getpid", names); // imported from libc, not defined here
        Assert.DoesNotContain("", names);
    }

    [NvccFact]
    public async Task ReadExportedNamesAsync_NvccBuiltCandidate_ExportsAbiEntryPoints()
    {
        using var temp = new TemporaryDirectory();
        var compiler = await TestNvcc.CreateCompilerAsync();
        var result = await compiler.CompileAsync(TestNvcc.AddOneKernel, temp.Path);
        Assert.True(result.Succeeded, result.Log);

        var names = await ElfSymbols.ReadExportedNamesAsync(result.LibraryPath!);

        Assert.Contains("kforge_entry", names);
        Assert.Contains("kforge_abi_version", names);
        Assert.DoesNotContain("cudaGetLastError", names); // imported from libcudart
    }

    [Fact]
    public void ReadExportedNames_NotElf_InvalidData()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ElfSymbols.ReadExportedNames(Encoding.ASCII.GetBytes(new string('x', 100))));

        Assert.Contains("not an ELF", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadExportedNames_Elf32_InvalidData()
    {
        var image = new byte[64];
        image[0] = 0x7F;
        image[1] = (byte)'E';
        image[2] = (byte)'L';
        image[3] = (byte)'F';
        image[4] = 1; // ELFCLASS32
        image[5] = 1;

        Assert.Throws<InvalidDataException>(() => ElfSymbols.ReadExportedNames(image));
    }

    [UnixFact]
    public void ReadExportedNames_Truncated_InvalidDataNotCrash()
    {
        var image = File.ReadAllBytes(TestPaths.RuntimeNativeLibrary);

        Assert.Throws<InvalidDataException>(() => ElfSymbols.ReadExportedNames(image.AsSpan(0, 4096)));
    }
}
