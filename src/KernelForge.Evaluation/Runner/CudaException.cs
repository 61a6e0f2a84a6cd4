using System.Globalization;

namespace KernelForge.Evaluation.Runner;

/// <summary>A CUDA runtime call returned an error; carries the <c>cudaError_t</c> code and which call failed.</summary>
public sealed class CudaException(int code, string function, string message)
    : Exception($"{function} failed: {message} (cudaError {code.ToString(CultureInfo.InvariantCulture)})")
{
    /// <summary>The <c>cudaError_t</c> value, e.g. 2 for out of memory or 700 for an illegal address.</summary>
    public int Code { get; } = code;

    /// <summary>The CUDA function that failed, e.g. <c>cudaMalloc</c>.</summary>
    public string Function { get; } = function;

    /// <summary>What <c>cudaGetErrorString</c> says about <see cref="Code"/>.</summary>
    public string CudaMessage { get; } = message;
}
