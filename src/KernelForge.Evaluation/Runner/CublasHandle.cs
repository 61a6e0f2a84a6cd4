using System.Globalization;
using System.Runtime.InteropServices;

namespace KernelForge.Evaluation.Runner;

/// <summary>The cuBLAS handle the runner hands a candidate as <c>ctx->cublas</c> under <c>allow-libraries</c>, bound to the harness stream.</summary>
/// <remarks>
/// Made only for a candidate whose source calls cuBLAS (the static rules say so) and only when libraries are allowed,
/// so <c>ctx->cublas</c> stays NULL otherwise, as the ABI promises. The functions are looked up through the candidate's
/// own library handle (dlsym searches its dependencies), so the handle belongs to the very libcublas the candidate was
/// linked against (the compile pool links <c>-lcublas</c> for such sources); the runner itself loads no cuBLAS.
/// Created at load time, so its setup (and its default workspace allocation) is never timed; destroyed before the
/// candidate's library is unloaded. Not thread-safe.
/// </remarks>
internal sealed unsafe class CublasHandle : IDisposable
{
    private readonly delegate* unmanaged<nint, int> _destroy;

    private CublasHandle(nint handle, delegate* unmanaged<nint, int> destroy)
    {
        Handle = handle;
        _destroy = destroy;
    }

    /// <summary>The <c>cublasHandle_t</c>; zero once disposed.</summary>
    public nint Handle { get; private set; }

    /// <summary>Creates a handle with the cuBLAS that <paramref name="library"/> links and binds it to <paramref name="stream"/>.</summary>
    /// <exception cref="RunnerRequestException"><c>load_error</c> when the candidate links no cuBLAS or the handle cannot be made.</exception>
    public static CublasHandle Create(nint library, string libraryPath, nint stream)
    {
        if (!NativeLibrary.TryGetExport(library, "cublasCreate_v2", out var create)
            || !NativeLibrary.TryGetExport(library, "cublasSetStream_v2", out var setStream)
            || !NativeLibrary.TryGetExport(library, "cublasDestroy_v2", out var destroy))
        {
            throw new RunnerRequestException(
                RunnerRequestException.LoadError,
                $"{libraryPath} calls cuBLAS, but no cublasCreate_v2 is reachable through it; link it with -lcublas (the compile pool does for sources that call cuBLAS).");
        }

        nint handle = 0;
        var status = ((delegate* unmanaged<nint*, int>)create)(&handle);
        if (status != 0)
        {
            throw new RunnerRequestException(
                RunnerRequestException.LoadError,
                $"cublasCreate failed with cublasStatus_t {status.ToString(CultureInfo.InvariantCulture)} while loading {libraryPath} (3 is CUBLAS_STATUS_ALLOC_FAILED: the GPU is out of memory).");
        }

        status = ((delegate* unmanaged<nint, nint, int>)setStream)(handle, stream);
        if (status != 0)
        {
            _ = ((delegate* unmanaged<nint, int>)destroy)(handle);
            throw new RunnerRequestException(
                RunnerRequestException.LoadError,
                $"cublasSetStream failed with cublasStatus_t {status.ToString(CultureInfo.InvariantCulture)} while loading {libraryPath}.");
        }

        return new CublasHandle(handle, (delegate* unmanaged<nint, int>)destroy);
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
}
