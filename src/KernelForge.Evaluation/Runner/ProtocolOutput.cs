using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// Keeps the runner's stdout for protocol lines only. Candidates are native code: a host <c>printf</c>, or a device
/// <c>printf</c> flushed at synchronization, writes to file descriptor 1 and would corrupt the JSON stream.
/// </summary>
internal static partial class ProtocolOutput
{
    private const int StandardOutputDescriptor = 1;
    private const int StandardErrorDescriptor = 2;

    /// <summary>
    /// Duplicates fd 1 for the protocol, then points fd 1 at stderr, so that everything else written to stdout (by
    /// candidates or by accident) lands in the stderr log. Linux only, like the runner.
    /// </summary>
    public static TextWriter TakeOverStandardOutput()
    {
        CudaLibraryLoader.EnsureRegistered();
        Console.Out.Flush();
        var protocolDescriptor = Dup(StandardOutputDescriptor);
        if (protocolDescriptor < 0)
        {
            throw new IOException($"dup(1) failed with errno {Marshal.GetLastPInvokeError()}; the runner cannot protect its protocol stream.");
        }

        if (Dup2(StandardErrorDescriptor, StandardOutputDescriptor) < 0)
        {
            throw new IOException($"dup2(2, 1) failed with errno {Marshal.GetLastPInvokeError()}; the runner cannot protect its protocol stream.");
        }

        var stream = new FileStream(new SafeFileHandle(protocolDescriptor, ownsHandle: true), FileAccess.Write, bufferSize: 0);
        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
    }

    [LibraryImport(CudaLibraryLoader.CLibraryName, EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int descriptor);

    [LibraryImport(CudaLibraryLoader.CLibraryName, EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int descriptor, int newDescriptor);
}
