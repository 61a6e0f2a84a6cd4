using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelForge.Evaluation.Compilation;

/// <summary>How <see cref="NvccCompiler"/> builds candidates: which nvcc, for which GPU, with which extra flags and deadline.</summary>
/// <param name="NvccPath">The nvcc executable (see <see cref="NvccLocator"/>).</param>
/// <param name="Architecture">
/// The one GPU target, <c>sm_XX</c> with an optional <c>a</c> (arch-specific) or <c>f</c> (family) suffix, e.g. <c>sm_90a</c>
/// for an H100 or <c>sm_80</c> for an A100; see <see cref="ArchitectureFor"/>. It is emitted as
/// <c>-gencode=arch=compute_XX,code=sm_XX</c>, never the <c>-arch=sm_90a</c> shorthand, which can misbehave for Hopper.
/// </param>
/// <param name="IncludeDirectory">The repository's <c>abi/</c> folder, holding <c>kforge_abi.h</c>.</param>
/// <remarks><see cref="ExtraFlags"/> compares by reference in record equality; compare <see cref="NvccCompiler.ComputeCacheKey"/> instead.</remarks>
public sealed partial record NvccOptions(string NvccPath, string Architecture, string IncludeDirectory)
{
    /// <summary>The header every candidate includes; <see cref="IncludeDirectory"/> must hold it.</summary>
    public const string AbiHeaderFileName = "kforge_abi.h";

    /// <summary>Generous for one translation unit: heavy templates (CUTLASS/CuTe) take tens of seconds, not minutes.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(120);

    /// <summary>Passed as <c>-ccbin</c> when set (CI's Debian nvcc 11.8 needs <c>clang-14</c>).</summary>
    public string? HostCompiler { get; init; }

    /// <summary>Folder holding <c>libcudart.so</c>, baked into the library with <c>-Xlinker -rpath</c> so it loads without LD_LIBRARY_PATH.</summary>
    public string? CudaLibraryDirectory { get; init; }

    /// <summary>
    /// The cuDNN library file (e.g. pip's <c>…/site-packages/nvidia/cudnn/lib/libcudnn.so.9</c>, which has no unversioned
    /// <c>libcudnn.so</c> beside it and lies on no default path), linked by full path for sources that call cuDNN; null
    /// when this host has none, and then such sources link no cuDNN (see <see cref="CudnnLocator"/>).
    /// </summary>
    public string? CudnnLibraryPath { get; init; }

    /// <summary>Flags appended after the fixed ones (e.g. <c>-std=c++17</c>, <c>--use_fast_math</c>). <c>-G</c> and architecture flags are refused.</summary>
    public IReadOnlyList<string> ExtraFlags { get; init; } = [];

    /// <summary>Deadline for one nvcc run; past it the process tree is killed and the result is a compile timeout.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// Run nvcc's independent steps side by side (<see cref="NvccStepPlan"/>) instead of one after another; a build that
    /// fails that way is redone by plain nvcc. Off by default; evaluation sessions turn it on.
    /// </summary>
    public bool ParallelSteps { get; init; }

    /// <summary>Root of the on-disk <see cref="CompileCache"/>; null for no cache.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The <c>-gencode</c> flag for <see cref="Architecture"/>, e.g. <c>-gencode=arch=compute_90a,code=sm_90a</c>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Architecture"/> is not of the form <c>sm_XX[a|f]</c>.</exception>
    public string GencodeFlag
    {
        get
        {
            var match = ArchitecturePattern().Match(Architecture);
            if (!match.Success)
            {
                throw new InvalidOperationException(ArchitectureError());
            }

            var target = match.Groups[1].Value;
            return $"-gencode=arch=compute_{target},code=sm_{target}";
        }
    }

    /// <summary>
    /// The architecture to build for a GPU of compute capability <paramref name="major"/>.<paramref name="minor"/>:
    /// <c>sm_{major}{minor}</c>, with the arch-specific <c>a</c> suffix from Hopper on (wgmma, setmaxnreg, TMA multicast)
    /// when the nvcc release knows it (CUDA 12.0+; a null <paramref name="nvccRelease"/> means a current one).
    /// A candidate is built for the one GPU it runs on, so it loses nothing.
    /// </summary>
    public static string ArchitectureFor(int major, int minor, Version? nvccRelease)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(major);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        var archSpecific = major >= 9 && (nvccRelease is null || nvccRelease.Major >= 12);
        return string.Create(CultureInfo.InvariantCulture, $"sm_{major}{minor}{(archSpecific ? "a" : "")}");
    }

    /// <summary>Problems that make these options unusable, each saying how to fix it; empty when they are fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(NvccPath))
        {
            errors.Add($"NvccPath is empty; locate nvcc with NvccLocator or set {NvccLocator.NvccVariable}.");
        }

        if (!ArchitecturePattern().IsMatch(Architecture ?? ""))
        {
            errors.Add(ArchitectureError());
        }

        if (string.IsNullOrWhiteSpace(IncludeDirectory) || !File.Exists(Path.Combine(IncludeDirectory, AbiHeaderFileName)))
        {
            errors.Add($"IncludeDirectory '{IncludeDirectory}' holds no {AbiHeaderFileName}; point it at the repository's abi/ folder.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"Timeout must be positive (it is {Timeout}); the default is {DefaultTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        }

        foreach (var flag in ExtraFlags ?? [])
        {
            if (flag is "-G" or "--device-debug")
            {
                errors.Add(
                    $"ExtraFlags contains '{flag}' (device debug), which turns off device optimization, so a timing of that build says "
                    + "nothing about the kernel. Remove it; -lineinfo is already on for source-level profiling.");
            }
            else if (IsArchitectureFlag(flag))
            {
                errors.Add($"ExtraFlags contains '{flag}'; set NvccOptions.Architecture instead, so the build has exactly one GPU target.");
            }
        }

        return errors;
    }

    private static bool IsArchitectureFlag(string flag) =>
        flag.StartsWith("-arch", StringComparison.Ordinal)
        || flag.StartsWith("--gpu-architecture", StringComparison.Ordinal)
        || flag.StartsWith("-gencode", StringComparison.Ordinal)
        || flag.StartsWith("--generate-code", StringComparison.Ordinal)
        || flag.StartsWith("-code", StringComparison.Ordinal)
        || flag.StartsWith("--gpu-code", StringComparison.Ordinal);

    private string ArchitectureError() =>
        $"Architecture '{Architecture}' is not of the form sm_XX, sm_XXa or sm_XXf; derive it from the GPU's compute capability "
        + "with NvccOptions.ArchitectureFor (an H100, 9.0, is sm_90a with CUDA 12+).";

    [GeneratedRegex(@"^sm_(\d{2,3}[af]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex ArchitecturePattern();
}
