using KernelForge.Translation.Diagnostics;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>What the frontend made of a graph: the IR (null when any error was found), the parsed graph, and the diagnostics.</summary>
public sealed record GraphReadResult(IRGraph? Graph, ExportedGraph? Exported, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Graph is not null;
}
