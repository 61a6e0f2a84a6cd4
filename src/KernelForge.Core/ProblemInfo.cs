namespace KernelForge.Core;

/// <summary>A problem as the reference worker loaded it: its tensors, outputs, seeds and the bytes that must move.</summary>
/// <remarks>
/// <see cref="Tensors"/> is the ABI's input order: the values of <c>get_inputs()</c>, then the model's parameters,
/// then its buffers. <see cref="BytesMoved"/> counts every input, parameter and output once: the memory floor's numerator.
/// </remarks>
public sealed record ProblemInfo(
    string Path,
    string Name,
    string Hash,
    IReadOnlyList<TensorSpec> Tensors,
    IReadOnlyList<TensorSpec> Outputs,
    IReadOnlyList<long> Seeds,
    long BytesMoved,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Floating-point operations of one forward pass (torch's FlopCounterMode: matmuls, convolutions, attention), or null when unknown: the compute floor's numerator.</summary>
    public long? Flops { get; init; }

    /// <summary>Python numbers among <c>get_inputs()</c>, which are not in <see cref="Tensors"/>; see <see cref="ScalarInput"/>.</summary>
    public IReadOnlyList<ScalarInput> ScalarInputs { get; init; } = [];
}
