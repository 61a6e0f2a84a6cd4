using System.Collections.Immutable;

namespace KernelForge.Translation.Frontend;

/// <summary>Shape and dtype torch recorded for a node's result (or one tuple element); both null for a non-tensor element.</summary>
public sealed record ExportedTensorMeta(ImmutableArray<long>? Shape, string? DataType);
