using System.Collections.Immutable;

namespace KernelForge.Translation.Cuda;

/// <summary>One kernel of an emitted file: what it computes, how it is scheduled, and which exported nodes it covers.</summary>
/// <remarks><c>Summary</c>: one line such as <c>relu = relu(%x)</c>; <c>Strategy</c>: how it was lowered, in words.</remarks>
public sealed record EmittedKernel(string Name, KernelKind Kind, Schedule Schedule, string Summary, string Strategy, ImmutableArray<string> Origins);
