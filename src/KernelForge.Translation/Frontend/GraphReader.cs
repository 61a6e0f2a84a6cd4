using KernelForge.Translation.Diagnostics;

namespace KernelForge.Translation.Frontend;

/// <summary>The frontend: graph JSON exported by the worker (schema v1) → an <see cref="IR.IRGraph"/> with diagnostics.</summary>
public static class GraphReader
{
    /// <summary>Reads <paramref name="json"/>; never throws for bad or unsupported input, which becomes diagnostics.</summary>
    public static GraphReadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var diagnostics = new DiagnosticBag();
        var exported = GraphJsonParser.Parse(json, diagnostics);
        var graph = exported is null ? null : new AtenImporter(diagnostics).Import(exported);
        return new GraphReadResult(graph, exported, diagnostics);
    }
}
