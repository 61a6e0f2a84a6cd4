using System.Globalization;
using System.Runtime.InteropServices;
using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Runner;

/// <summary>The cuDNN handle the runner hands a candidate as <c>ctx->cudnn</c> under <c>allow-libraries</c>, bound to the harness stream.</summary>
/// <remarks>
/// The cuDNN twin of <see cref="CublasHandle"/>: made only for a candidate whose source calls cuDNN, with the functions
/// looked up through the candidate's own library handle (dlsym searches its dependencies), so the handle belongs to
/// the libcudnn the candidate was linked against; the runner itself loads no cuDNN. One difference: a host without
/// cuDNN is not the candidate's fault. The compile pool then links no cuDNN (<see cref="NvccOptions.CudnnLibraryPath"/>
/// is null), and generated kernels declare cuDNN's functions weak and run their own kernel when <c>ctx->cudnn</c> is
/// NULL, so an unreachable <c>cudnnCreate</c> gives NULL and a warning, not a load error. Created at load time, so its
/// setup is never timed; destroyed before the candidate's library is unloaded. Not thread-safe.
/// </remarks>
internal sealed unsafe class CudnnHandle : IDisposable
{
    private readonly delegate* unmanaged<nint, int> _destroy;

    private CudnnHandle(nint handle, delegate* unmanaged<nint, int> destroy)
    {
        Handle = handle;
        _destroy = destroy;
    }

    /// <summary>The <c>cudnnHandle_t</c>; zero once disposed.</summary>
    public nint Handle { get; private set; }

    /// <summary>
    /// Creates a handle with the cuDNN that <paramref name="library"/> links and binds it to <paramref name="stream"/>;
    /// null, after one line to <paramref name="warn"/>, when the candidate links no cuDNN.
    /// </summary>
    /// <exception cref="RunnerRequestException"><c>load_error</c> when cuDNN is linked but the handle cannot be made.</exception>
    public static CudnnHandle? Create(nint library, string libraryPath, nint stream, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        if (!NativeLibrary.TryGetExport(library, "cudnnCreate", out var create))
        {
            warn($"{libraryPath} calls cuDNN, but no cudnnCreate is reachable through it: cuDNN was not found on this host when it was built, " +
                $"so the candidate gets ctx->cudnn = NULL. Set {CudnnLocator.LibraryVariable} to libcudnn.so.9's path (pip's torch ships it " +
                "in site-packages/nvidia/cudnn/lib) and rebuild to link it.");
            return null;
        }

        if (!NativeLibrary.TryGetExport(library, "cudnnSetStream", out var setStream)
            || !NativeLibrary.TryGetExport(library, "cudnnDestroy", out var destroy))
        {
            throw new RunnerRequestException(
                RunnerRequestException.LoadError,
                $"{libraryPath} reaches cudnnCreate but not cudnnSetStream or cudnnDestroy; the libcudnn it links is incomplete. Point {CudnnLocator.LibraryVariable} at a full cuDNN installation.");
        }

        nint handle = 0;
        var status = ((delegate* unmanaged<nint*, int>)create)(&handle);
        if (status != 0)
        {
            throw new RunnerRequestException(
                RunnerRequestException.LoadError,
                $"cudnnCreate failed with cudnnStatus_t {Describe(library, status)} while loading {libraryPath} (an allocation failure usually means the GPU is out of memory).");
        }

        status = ((delegate* unmanaged<nint, nint, int>)setStream)(handle, stream);
        if (status != 0)
        {
            _ = ((delegate* unmanaged<nint, int>)destroy)(handle);
            throw new RunnerRequestException(
                RunnerRequestException.LoadError,
                $"cudnnSetStream failed with cudnnStatus_t {Describe(library, status)} while loading {libraryPath}.");
        }

        return new CudnnHandle(handle, (delegate* unmanaged<nint, int>)destroy);
    }

    public void Dispose()
    {
        if (Handle != 0)
        {
            // Its status is of no use here: a lost CUDA context makes the runner exit anyway.
            _ = _destroy(Handle);
            Handle = 0;
        }
    }

    // cuDNN 9 renumbered its statuses (single digits in cuDNN 8, ranges of thousands since), so the number alone is
    // ambiguous: cuDNN's own cudnnGetErrorString names it when the linked library has one.
    private static string Describe(nint library, int status)
    {
        var number = status.ToString(CultureInfo.InvariantCulture);
        if (NativeLibrary.TryGetExport(library, "cudnnGetErrorString", out var getErrorString)
            && ((delegate* unmanaged<int, nint>)getErrorString)(status) is var text and not 0
            && Marshal.PtrToStringUTF8(text) is { Length: > 0 } name)
        {
            return $"{number} ({name})";
        }

        return $"{number} (see cudnnGetErrorString)";
    }
}
