using System.Globalization;
using System.Runtime.InteropServices;

namespace KernelForge.Evaluation.Runner;

/// <summary>The slice of the CUDA runtime the ABI runner needs, with every return code checked.</summary>
/// <remarks>
/// A failed call throws <see cref="CudaException"/>; the few <c>…Code</c> methods return the raw <c>cudaError_t</c>
/// where the caller must classify it (after a candidate's call) or must not throw (disposal). The current device is
/// per host thread in CUDA, so a caller sets it (<see cref="SetDevice"/>) on the thread that then uses it.
/// </remarks>
public static unsafe partial class CudaRuntime
{
    /// <summary><c>cudaErrorIllegalAddress</c>: a kernel touched memory it does not own; sticky (the context is lost).</summary>
    public const int ErrorIllegalAddress = 700;

    /// <summary><c>cudaErrorLaunchFailure</c>: an exception while running a kernel; sticky.</summary>
    public const int ErrorLaunchFailure = 719;

    private const int MemcpyHostToDevice = 1;
    private const int MemcpyDeviceToHost = 2;
    private const int MemcpyDeviceToDevice = 3;

    private static readonly string? RegistrationError;

    // An explicit static constructor, not a field initializer: it makes the type precise-init, so the resolver is
    // registered before the first call of any method (a field initializer alone runs on first field access only).
    static CudaRuntime() => RegistrationError = Register();

    /// <summary>
    /// Whether a CUDA runtime library loads and sees at least one device. Never throws. <paramref name="reason"/> is
    /// empty when available; otherwise one sentence starting "no CUDA runtime library found" or "no CUDA device".
    /// </summary>
    public static bool IsAvailable(out string reason)
    {
        if (RegistrationError is not null)
        {
            reason = RegistrationError;
            return false;
        }

        try
        {
            if (!CudaLibraryLoader.TryGetRuntime(out _, out reason))
            {
                return false;
            }

            int count;
            var error = CudaGetDeviceCount(&count);
            if (error != 0)
            {
                reason = $"no CUDA device: cudaGetDeviceCount failed with {Describe(error)}; check nvidia-smi, the driver and CUDA_VISIBLE_DEVICES";
                _ = CudaGetLastError();
                return false;
            }

            if (count == 0)
            {
                reason = "no CUDA device: the CUDA runtime sees 0 devices; check nvidia-smi and CUDA_VISIBLE_DEVICES";
                return false;
            }

            reason = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            reason = $"no CUDA runtime library found: {ex.Message}";
            return false;
        }
    }

    /// <summary>Where libcudart was loaded from, or null before the first call or when it could not be loaded.</summary>
    public static string? LoadedRuntimePath => CudaLibraryLoader.RuntimePath;

    internal static void SetDevice(int device) => Check(CudaSetDevice(device), "cudaSetDevice");

    internal static int DeviceCount()
    {
        int count;
        Check(CudaGetDeviceCount(&count), "cudaGetDeviceCount");
        return count;
    }

    /// <summary>An attribute's value, or null when the runtime refuses it (the error is cleared so it cannot leak into a later check).</summary>
    internal static int? TryGetAttribute(CudaDeviceAttribute attribute, int device)
    {
        int value;
        if (CudaDeviceGetAttribute(&value, (int)attribute, device) == 0)
        {
            return value;
        }

        _ = CudaGetLastError();
        return null;
    }

    internal static int DriverVersion()
    {
        int version;
        Check(CudaDriverGetVersion(&version), "cudaDriverGetVersion");
        return version;
    }

    internal static int RuntimeVersion()
    {
        int version;
        Check(CudaRuntimeGetVersion(&version), "cudaRuntimeGetVersion");
        return version;
    }

    /// <summary>Returns and clears the last error of this thread (<c>cudaGetLastError</c>).</summary>
    internal static int GetLastErrorCode() => CudaGetLastError();

    /// <summary>"cudaErrorIllegalAddress: an illegal memory access was encountered (700)".</summary>
    internal static string Describe(int error)
    {
        var name = Marshal.PtrToStringUTF8((nint)CudaGetErrorName(error)) ?? "unknown error";
        var text = Marshal.PtrToStringUTF8((nint)CudaGetErrorString(error)) ?? "unknown error";
        return $"{name}: {text} ({error.ToString(CultureInfo.InvariantCulture)})";
    }

    internal static nint Malloc(long sizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        void* pointer;
        Check(CudaMalloc(&pointer, (nuint)sizeBytes), "cudaMalloc");
        return (nint)pointer;
    }

    /// <summary><c>cudaMalloc</c> that reports failure as zero and clears the error (for the workspace callback).</summary>
    internal static nint TryMalloc(long sizeBytes)
    {
        void* pointer;
        if (CudaMalloc(&pointer, (nuint)sizeBytes) == 0)
        {
            return (nint)pointer;
        }

        _ = CudaGetLastError();
        return 0;
    }

    /// <summary><c>cudaFree</c> returning the error instead of throwing, for disposal paths.</summary>
    internal static int FreeCode(nint pointer) => CudaFree((void*)pointer);

    internal static void CopyHostToDevice(nint destination, ReadOnlySpan<byte> source)
    {
        fixed (byte* host = source)
        {
            Check(CudaMemcpy((void*)destination, host, (nuint)source.Length, MemcpyHostToDevice), "cudaMemcpy (host to device)");
        }
    }

    internal static void CopyDeviceToHost(Span<byte> destination, nint source)
    {
        fixed (byte* host = destination)
        {
            Check(CudaMemcpy(host, (void*)source, (nuint)destination.Length, MemcpyDeviceToHost), "cudaMemcpy (device to host)");
        }
    }

    internal static void CopyDeviceToDeviceAsync(nint destination, nint source, long countBytes, nint stream) =>
        Check(CudaMemcpyAsync((void*)destination, (void*)source, (nuint)countBytes, MemcpyDeviceToDevice, stream), "cudaMemcpyAsync (device to device)");

    /// <summary><c>cudaMemset</c> on the legacy default stream; asynchronous for device memory, so synchronize before relying on it.</summary>
    internal static void Memset(nint pointer, byte value, long countBytes) =>
        Check(CudaMemset((void*)pointer, value, (nuint)countBytes), "cudaMemset");

    internal static void MemsetAsync(nint pointer, byte value, long countBytes, nint stream) =>
        Check(CudaMemsetAsync((void*)pointer, value, (nuint)countBytes, stream), "cudaMemsetAsync");

    /// <summary>A stream that synchronizes with the legacy default stream (<c>cudaStreamDefault</c> flags).</summary>
    internal static nint CreateBlockingStream()
    {
        nint stream;
        Check(CudaStreamCreateWithFlags(&stream, 0), "cudaStreamCreateWithFlags");
        return stream;
    }

    internal static int DestroyStreamCode(nint stream) => CudaStreamDestroy(stream);

    internal static void StreamSynchronize(nint stream) => Check(CudaStreamSynchronize(stream), "cudaStreamSynchronize");

    internal static void DeviceSynchronize() => Check(CudaDeviceSynchronize(), "cudaDeviceSynchronize");

    /// <summary><c>cudaDeviceSynchronize</c> returning the error: after a candidate's call, any error here is sticky.</summary>
    internal static int DeviceSynchronizeCode() => CudaDeviceSynchronize();

    internal static nint CreateEvent()
    {
        nint cudaEvent;
        Check(CudaEventCreate(&cudaEvent), "cudaEventCreate");
        return cudaEvent;
    }

    internal static void RecordEvent(nint cudaEvent, nint stream) => Check(CudaEventRecord(cudaEvent, stream), "cudaEventRecord");

    internal static void SynchronizeEvent(nint cudaEvent) => Check(CudaEventSynchronize(cudaEvent), "cudaEventSynchronize");

    internal static float ElapsedMilliseconds(nint start, nint end)
    {
        float milliseconds;
        Check(CudaEventElapsedTime(&milliseconds, start, end), "cudaEventElapsedTime");
        return milliseconds;
    }

    internal static int DestroyEventCode(nint cudaEvent) => CudaEventDestroy(cudaEvent);

    /// <summary>The GPU's marketing name from the driver API (<c>cuDeviceGetName</c>), or null when the driver cannot tell.</summary>
    /// <remarks><c>cudaGetDeviceProperties</c> would give it too, but its struct layout changes between CUDA versions.</remarks>
    internal static string? TryGetDeviceName(int ordinal)
    {
        try
        {
            int device;
            if (CuInit(0) != 0 || CuDeviceGet(&device, ordinal) != 0)
            {
                return null;
            }

            const int NameBytes = 256;
            var name = stackalloc byte[NameBytes];
            return CuDeviceGetName(name, NameBytes, device) == 0 ? Marshal.PtrToStringUTF8((nint)name) : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    internal static void Check(int error, string function)
    {
        if (error != 0)
        {
            var text = Marshal.PtrToStringUTF8((nint)CudaGetErrorString(error)) ?? "unknown error";
            throw new CudaException(error, function, text);
        }
    }

    private static string? Register()
    {
        try
        {
            CudaLibraryLoader.EnsureRegistered();
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // Another component set this assembly's DllImport resolver first; only one is allowed per assembly.
            return $"no CUDA runtime library found: the native library resolver could not be registered ({ex.Message})";
        }
    }
}
