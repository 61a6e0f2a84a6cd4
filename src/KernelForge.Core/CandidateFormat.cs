namespace KernelForge.Core;

/// <summary>How a candidate's source is built and called.</summary>
public enum CandidateFormat
{
    /// <summary>One <c>.cu</c> with <c>kforge_entry</c>, built by plain nvcc, run by the ABI runner (no torch).</summary>
    Abi,

    /// <summary>A KernelBench-style <c>ModelNew</c> or a pybind <c>forward</c>, built by torch's extension builder.</summary>
    TorchExtension,
}
