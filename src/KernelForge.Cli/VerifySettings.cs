using KernelForge.Core;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Cli;

/// <summary>What the user asked <c>kforge verify</c> for, after parsing.</summary>
internal sealed record VerifySettings(
    FileInfo Problem,
    IReadOnlyList<FileInfo> Kernels,
    bool Json,
    bool Explain,
    FileInfo Archive,
    PrecisionPolicy Precision,
    LibraryPolicy LibraryPolicy,
    int Device,
    int InputSets,
    bool CheckOnly = false);
