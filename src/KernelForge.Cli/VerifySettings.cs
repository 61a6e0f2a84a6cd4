using KernelForge.Core;

namespace KernelForge.Cli;

/// <summary>What the user asked <c>kforge verify</c> for, after parsing.</summary>
internal sealed record VerifySettings(
    FileInfo Problem,
    IReadOnlyList<FileInfo> Kernels,
    bool Json,
    FileInfo Archive,
    PrecisionPolicy Precision,
    int Device,
    int InputSets);
