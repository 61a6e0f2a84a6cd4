using System.Runtime.InteropServices;

namespace KernelForge.Evaluation.Runner;

/// <summary>The ABI's <c>kf_context</c> (abi/kforge_abi.h): 4 + 4 + 8 + 8 + 8 + 8 = 40 bytes. Fields are only ever appended, so a kernel built against an older header reads the ones it knows at the same offsets.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KfContext
{
    /// <summary>The ABI version the harness speaks (<c>KFORGE_ABI_VERSION</c>).</summary>
    public const int CurrentAbiVersion = 1;

    /// <summary><c>int32_t abi_version</c>.</summary>
    public int AbiVersion;

    /// <summary><c>int32_t device</c>: CUDA device ordinal.</summary>
    public int Device;

    /// <summary><c>void* (*workspace)(kf_context*, size_t)</c>: device memory for the call; null when it cannot be had.</summary>
    public delegate* unmanaged<KfContext*, nuint, void*> Workspace;

    /// <summary><c>void* cublas</c>: a cuBLAS handle bound to the harness stream when the load asked for one (<see cref="CublasHandle"/>), else null.</summary>
    public void* Cublas;

    /// <summary><c>void* harness</c>: opaque to the candidate; here a GCHandle of the call's <see cref="WorkspaceArena"/>.</summary>
    public void* Harness;

    /// <summary><c>void* cudnn</c>: a cuDNN handle bound to the harness stream when the load asked for one and the candidate links cuDNN (<see cref="CudnnHandle"/>), else null.</summary>
    public void* Cudnn;
}
