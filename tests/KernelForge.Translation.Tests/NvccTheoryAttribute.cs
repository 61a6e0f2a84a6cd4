using KernelForge.Evaluation.Compilation;

namespace KernelForge.Translation.Tests;

/// <summary>A theory that runs only where nvcc is installed, like <see cref="NvccFactAttribute"/>.</summary>
public sealed class NvccTheoryAttribute : TheoryAttribute
{
    public NvccTheoryAttribute()
    {
        if (NvccLocator.Default.FindNvcc() is null)
        {
            Skip = $"nvcc not found: set {NvccLocator.NvccVariable} or CUDA_HOME, or put nvcc on PATH.";
        }
    }
}
