using System.Runtime.InteropServices;

namespace KernelForge.Evaluation.Runner;

// The CUDA runtime and driver entry points the runner uses, with blittable signatures (cudaError_t and CUresult are
// int, size_t is nuint, handles are nint). Every one returns an error code that the wrappers check. The library names
// are resolved by CudaLibraryLoader, so that the runner and the candidates share one libcudart.
public static unsafe partial class CudaRuntime
{
    private const string Cudart = CudaLibraryLoader.RuntimeLibraryName;
    private const string Cuda = CudaLibraryLoader.DriverLibraryName;

    [LibraryImport(Cudart, EntryPoint = "cudaSetDevice")]
    private static partial int CudaSetDevice(int device);

    [LibraryImport(Cudart, EntryPoint = "cudaGetDeviceCount")]
    private static partial int CudaGetDeviceCount(int* count);

    [LibraryImport(Cudart, EntryPoint = "cudaDeviceGetAttribute")]
    private static partial int CudaDeviceGetAttribute(int* value, int attribute, int device);

    [LibraryImport(Cudart, EntryPoint = "cudaDriverGetVersion")]
    private static partial int CudaDriverGetVersion(int* version);

    [LibraryImport(Cudart, EntryPoint = "cudaRuntimeGetVersion")]
    private static partial int CudaRuntimeGetVersion(int* version);

    [LibraryImport(Cudart, EntryPoint = "cudaGetErrorString")]
    private static partial byte* CudaGetErrorString(int error);

    [LibraryImport(Cudart, EntryPoint = "cudaGetErrorName")]
    private static partial byte* CudaGetErrorName(int error);

    [LibraryImport(Cudart, EntryPoint = "cudaGetLastError")]
    private static partial int CudaGetLastError();

    [LibraryImport(Cudart, EntryPoint = "cudaMalloc")]
    private static partial int CudaMalloc(void** pointer, nuint sizeBytes);

    [LibraryImport(Cudart, EntryPoint = "cudaFree")]
    private static partial int CudaFree(void* pointer);

    [LibraryImport(Cudart, EntryPoint = "cudaMemcpy")]
    private static partial int CudaMemcpy(void* destination, void* source, nuint countBytes, int kind);

    [LibraryImport(Cudart, EntryPoint = "cudaMemcpyAsync")]
    private static partial int CudaMemcpyAsync(void* destination, void* source, nuint countBytes, int kind, nint stream);

    [LibraryImport(Cudart, EntryPoint = "cudaMemset")]
    private static partial int CudaMemset(void* pointer, int value, nuint countBytes);

    [LibraryImport(Cudart, EntryPoint = "cudaMemsetAsync")]
    private static partial int CudaMemsetAsync(void* pointer, int value, nuint countBytes, nint stream);

    [LibraryImport(Cudart, EntryPoint = "cudaStreamCreateWithFlags")]
    private static partial int CudaStreamCreateWithFlags(nint* stream, uint flags);

    [LibraryImport(Cudart, EntryPoint = "cudaStreamDestroy")]
    private static partial int CudaStreamDestroy(nint stream);

    [LibraryImport(Cudart, EntryPoint = "cudaStreamSynchronize")]
    private static partial int CudaStreamSynchronize(nint stream);

    [LibraryImport(Cudart, EntryPoint = "cudaDeviceSynchronize")]
    private static partial int CudaDeviceSynchronize();

    [LibraryImport(Cudart, EntryPoint = "cudaEventCreate")]
    private static partial int CudaEventCreate(nint* cudaEvent);

    [LibraryImport(Cudart, EntryPoint = "cudaEventRecord")]
    private static partial int CudaEventRecord(nint cudaEvent, nint stream);

    [LibraryImport(Cudart, EntryPoint = "cudaEventSynchronize")]
    private static partial int CudaEventSynchronize(nint cudaEvent);

    [LibraryImport(Cudart, EntryPoint = "cudaEventElapsedTime")]
    private static partial int CudaEventElapsedTime(float* milliseconds, nint start, nint end);

    [LibraryImport(Cudart, EntryPoint = "cudaEventDestroy")]
    private static partial int CudaEventDestroy(nint cudaEvent);

    [LibraryImport(Cuda, EntryPoint = "cuInit")]
    private static partial int CuInit(uint flags);

    [LibraryImport(Cuda, EntryPoint = "cuDeviceGet")]
    private static partial int CuDeviceGet(int* device, int ordinal);

    [LibraryImport(Cuda, EntryPoint = "cuDeviceGetName")]
    private static partial int CuDeviceGetName(byte* name, int length, int device);
}
