namespace KernelForge.Evaluation.Validation;

/// <summary>Whether a candidate may call vendor math libraries (cuBLAS, cuBLASLt, cuDNN, cuFFT, cuSPARSE, cuSOLVER).</summary>
public enum LibraryPolicy
{
    /// <summary>Library calls are allowed and recorded with the result.</summary>
    AllowLibraries,

    /// <summary>Every kernel must be the candidate's own CUDA: library calls and torch fallbacks are rejected.</summary>
    PureCuda,
}
