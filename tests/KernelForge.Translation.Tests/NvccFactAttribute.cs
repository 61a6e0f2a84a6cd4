using KernelForge.Evaluation.Compilation;

namespace KernelForge.Translation.Tests;

/// <summary>A fact that runs only where nvcc is installed (found the way <see cref="NvccLocator.Default"/> finds it); skipped elsewhere.</summary>
/// <remarks>A copy of the one in KernelForge.Evaluation.Tests: test projects do not reference each other.</remarks>
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
