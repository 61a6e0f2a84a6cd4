using KernelForge.Core;

namespace KernelForge.Translation.IR;

/// <summary>A tensor the ABI entry receives, in ABI order: the problem's inputs, then parameters, then buffers.</summary>
public sealed record GraphInput(IRValue Value, TensorRole Role);
