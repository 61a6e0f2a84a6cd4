using System.Collections.Immutable;

namespace KernelForge.Translation.Frontend;

/// <summary>The graph JSON (schema v1, <c>docs/graph-schema.md</c>) as read, before any meaning is given to the ops.</summary>
public sealed record ExportedGraph(
    int SchemaVersion,
    ImmutableArray<ExportedInput> Inputs,
    ImmutableArray<ExportedNode> Nodes,
    ImmutableArray<string> Outputs);
