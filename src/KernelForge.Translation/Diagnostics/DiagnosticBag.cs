using System.Collections;

namespace KernelForge.Translation.Diagnostics;

/// <summary>Collects the diagnostics of one translation, in the order they were found (after Tomlyn's <c>DiagnosticsBag</c>).</summary>
/// <remarks>Not thread-safe: one bag belongs to one translation.</remarks>
public sealed class DiagnosticBag : IReadOnlyList<Diagnostic>
{
    private readonly List<Diagnostic> _items = [];

    public int Count => _items.Count;

    public Diagnostic this[int index] => _items[index];

    /// <summary>True once any error was added; the translation then produces no source.</summary>
    public bool HasErrors => _items.Exists(d => d.Severity == DiagnosticSeverity.Error);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public void Error(string? nodeName, string message) => Add(Diagnostic.Error(nodeName, message));

    public void Warning(string? nodeName, string message) => Add(Diagnostic.Warning(nodeName, message));

    public IEnumerator<Diagnostic> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
