namespace KernelForge.Evaluation.Validation;

/// <summary>The language a scanned source is written in, which decides the rules that apply to it.</summary>
public enum SourceLanguage
{
    /// <summary>CUDA C++: an ABI <c>.cu</c>, a pybind <c>.cu</c>, or C++ embedded in a Python string literal.</summary>
    Cuda,

    /// <summary>A KernelBench-style Python file defining <c>ModelNew</c>.</summary>
    Python,
}
