using KernelForge.Translation.Diagnostics;

namespace KernelForge.Translation.Cuda;

/// <summary>The emitter's result: the ABI source (null when something could not be lowered), its kernels, and diagnostics.</summary>
public sealed record CudaEmission(string? Source, IReadOnlyList<EmittedKernel> Kernels, IReadOnlyList<Diagnostic> Diagnostics, string IRHash);
