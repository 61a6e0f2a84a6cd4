using System.Diagnostics;
using KernelForge.Evaluation.Compilation;
using KernelForge.Evaluation.Validation;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Pipeline;

/// <summary>Everything an evaluation session needs to start its processes and build candidates.</summary>
/// <remarks>
/// <c>RunnerStartInfo</c> says how to start an ABI runner process (the CLI starts itself with a hidden verb);
/// candidates are built with <c>Nvcc</c> for the runner's GPU, including <c>AbiDirectory</c> (kforge_abi.h), cached
/// under <c>CompileCacheDirectory</c>; <c>EmptyKernelSource</c> is an ABI source that launches one empty kernel,
/// whose time is the launch-overhead floor.
/// </remarks>
public sealed record EvaluationSessionOptions(
    WorkerOptions Worker,
    Func<ProcessStartInfo> RunnerStartInfo,
    NvccInstallation Nvcc,
    string AbiDirectory,
    string? CompileCacheDirectory,
    string EmptyKernelSource,
    IReadOnlyList<long> Seeds)
{
    /// <summary>Seeds of the default three independent input sets (the Foundation asks for at least 3).</summary>
    public static IReadOnlyList<long> DefaultSeeds { get; } = [1001, 2002, 3003];

    /// <summary>
    /// Seed of the fresh-memory input set: inputs no candidate sees as a set of its own, written into input set 0's
    /// buffers to catch results cached by address, and timed once to catch results reused across calls.
    /// </summary>
    public long FreshSeed { get; init; } = 7_777_777;

    /// <summary>Bytes per buffer of the device-to-device copy that measures peak bandwidth (1 GiB: far beyond L2).</summary>
    public long BandwidthProbeBytes { get; init; } = 1L << 30;

    /// <summary>Deadline for one candidate call (run, or the whole timing loop); past it the runner is killed.</summary>
    public TimeSpan RunDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether candidates may call cuBLAS/cuDNN (recorded either way) or must be pure CUDA.</summary>
    public LibraryPolicy LibraryPolicy { get; init; } = LibraryPolicy.AllowLibraries;

    /// <summary>Run nvcc's independent steps side by side (<see cref="NvccOptions.ParallelSteps"/>); set KFORGE_NVCC_STEPS=sequential to turn off.</summary>
    public bool ParallelCompileSteps { get; init; } = true;

    /// <summary>
    /// The cuDNN library that candidates calling cuDNN link (<see cref="NvccOptions.CudnnLibraryPath"/>, found by
    /// <see cref="CudnnLocator"/>); null when this host has none, and such candidates then get <c>ctx->cudnn</c> NULL.
    /// </summary>
    public string? CudnnLibraryPath { get; init; }

    /// <summary>Deadline for a runner's hello, bandwidth probe or load.</summary>
    public TimeSpan RunnerRequestDeadline { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Where tensors travel between processes; <c>/dev/shm</c> when it exists.</summary>
    public string SharedMemoryRoot { get; init; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>H100 SXM5 HBM3 datasheet bandwidth, 3.35 TB/s (NVIDIA H100 datasheet), recorded beside the measured one.</summary>
    public double? DatasheetBandwidthBytesPerSecond { get; init; }
}
