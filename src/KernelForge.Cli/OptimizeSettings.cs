using KernelForge.Core;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Cli;

/// <summary>What the user asked <c>kforge optimize</c> for, after parsing.</summary>
/// <remarks><c>OutDirectory</c> is the parent folder: results go to <c>OutDirectory/&lt;problem stem&gt;/</c>.</remarks>
internal sealed record OptimizeSettings(
    FileInfo Problem,
    double BudgetMinutes,
    PrecisionPolicy Precision,
    LibraryPolicy LibraryPolicy,
    DirectoryInfo OutDirectory,
    FileInfo Archive,
    bool Json,
    int Device,
    int InputSets)
{
    public DirectoryInfo ProblemOutDirectory => new(Path.Combine(OutDirectory.FullName, Path.GetFileNameWithoutExtension(Problem.Name)));
}
