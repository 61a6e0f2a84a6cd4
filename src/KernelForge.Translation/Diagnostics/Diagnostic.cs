namespace KernelForge.Translation.Diagnostics;

/// <summary>One message about the translation of a graph, pointing at the exported node it concerns.</summary>
/// <remarks>
/// <c>NodeName</c>: The node (or graph input) of the exported graph, or null when the message is about the whole graph.<br/>
/// <c>Message</c>: What went wrong and, where there is something to do, what to do next.<br/>
/// </remarks>
public sealed record Diagnostic(DiagnosticSeverity Severity, string? NodeName, string Message)
{
    public static Diagnostic Error(string? nodeName, string message) => new(DiagnosticSeverity.Error, nodeName, message);

    public static Diagnostic Warning(string? nodeName, string message) => new(DiagnosticSeverity.Warning, nodeName, message);

    public static Diagnostic Note(string? nodeName, string message) => new(DiagnosticSeverity.Note, nodeName, message);

    /// <summary>One line, e.g. <c>error at conv: aten.convolution.default is not supported …</c>.</summary>
    public override string ToString()
    {
        var severity = Severity.ToString().ToLowerInvariant();
        return NodeName is null ? $"{severity}: {Message}" : $"{severity} at {NodeName}: {Message}";
    }
}
