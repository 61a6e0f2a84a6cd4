using System.Collections.Immutable;

namespace KernelForge.Translation.Frontend;

/// <summary>A Python list or tuple of arguments (sizes, dims, tensor lists).</summary>
public sealed record ListArgument(ImmutableArray<NodeArgument> Items) : NodeArgument;
