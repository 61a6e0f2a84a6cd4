namespace KernelForge.Translation.Diagnostics;

/// <summary>How much a <see cref="Diagnostic"/> matters: an error stops the translation, a warning or note does not.</summary>
public enum DiagnosticSeverity
{
    Note,
    Warning,
    Error,
}
