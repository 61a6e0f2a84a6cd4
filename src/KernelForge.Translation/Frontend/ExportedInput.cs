using System.Collections.Immutable;

namespace KernelForge.Translation.Frontend;

/// <summary>One placeholder of the exported graph: a tensor the ABI entry receives.</summary>
/// <remarks><c>Role</c>: The schema's spelling: <c>input</c>, <c>parameter</c> or <c>buffer</c>.</remarks>
public sealed record ExportedInput(string Name, ImmutableArray<long> Shape, string DataType, string Role);
