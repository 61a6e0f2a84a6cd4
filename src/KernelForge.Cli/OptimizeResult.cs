using KernelForge.Core;
using KernelForge.Evaluation.Validation;
using KernelForge.Search.Tuning;

namespace KernelForge.Cli;

/// <summary>
/// What <c>kforge optimize</c> found: the tuning run, the exported extension's evaluation, and where the files went;
/// the one input of the report, the console summary and the JSON document.
/// </summary>
/// <remarks>
/// <c>Exported</c> is null when there was no best kernel, the export could not be generated (<c>ExportError</c> says
/// why) or the run was interrupted before it. <c>LibrariesUsed</c> are those the static rules found in the best kernel.
/// </remarks>
internal sealed record OptimizeResult(
    string ProblemPath,
    PrecisionPolicy Precision,
    LibraryPolicy LibraryPolicy,
    TuningResult Tuning,
    EvaluationResult? Exported,
    string? ExportError,
    IReadOnlyList<string> LibrariesUsed,
    IReadOnlyList<string> LintWarnings,
    string? OutDirectory)
{
    public TunedVariant? Best => Tuning.Best;

    public string? KernelPath => OutDirectory is null ? null : Path.Combine(OutDirectory, "kernel.cu");

    public string? ExtensionPath => OutDirectory is null || ExportError is not null ? null : Path.Combine(OutDirectory, "extension.cu");

    public string? ReportPath => OutDirectory is null ? null : Path.Combine(OutDirectory, "report.md");
}
