using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

/// <summary>A fact that runs only where nvcc is installed (found the way <see cref="NvccLocator.Default"/> finds it); skipped elsewhere.</summary>
public sealed class NvccFactAttribute : FactAttribute
{
    public NvccFactAttribute()
    {
        if (NvccLocator.Default.FindNvcc() is null)
        {
            Skip = $"nvcc not found: set {NvccLocator.NvccVariable} or CUDA_HOME, or put nvcc on PATH.";
        }
    }
}
