using System.Diagnostics;
using System.Globalization;
using KernelForge.Evaluation.Compilation;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Cli;

/// <summary>
/// What this machine provides for an evaluation session, found and checked in the order a user fixes things:
/// a GPU, then nvcc, then Python; each missing piece is one sentence saying how to fix it.
/// </summary>
internal sealed record KforgeHost(KforgeResources Resources, NvccInstallation Nvcc, string PythonPath, string CompileCacheDirectory)
{
    public const string PythonVariable = "KFORGE_PYTHON";
    public const string CacheVariable = "KFORGE_CACHE_DIR";

    /// <exception cref="EnvironmentException">Something is missing; the message says what and how to fix it.</exception>
    public static async Task<KforgeHost> CreateAsync(CancellationToken cancellationToken)
    {
        var resources = LocateResources();
        if (!CudaRuntime.IsAvailable(out var reason))
        {
            throw new EnvironmentException($"No usable NVIDIA GPU ({reason}): run kforge on a machine with an NVIDIA GPU, its driver and the CUDA runtime.");
        }

        NvccInstallation? nvcc;
        try
        {
            nvcc = await NvccLocator.Default.LocateAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new EnvironmentException(ex.Message, ex);
        }

        if (nvcc is null)
        {
            throw new EnvironmentException($"nvcc (the CUDA toolkit) was not found: install the CUDA toolkit, or set CUDA_HOME or {NvccLocator.NvccVariable} to it.");
        }

        return new KforgeHost(resources, nvcc, FindPython(), DefaultCacheDirectory());
    }

    /// <exception cref="EnvironmentException">The worker and ABI folders are not beside the binary.</exception>
    public static KforgeResources LocateResources() =>
        KforgeResources.Locate()
        ?? throw new EnvironmentException("kforge's worker/ and abi/ folders are not next to its binary; rebuild it with ./kforge, or set KFORGE_HOME to the repository folder.");

    /// <summary>Set to <c>sequential</c> to build candidates with plain nvcc instead of its steps side by side.</summary>
    public const string NvccStepsVariable = "KFORGE_NVCC_STEPS";

    /// <exception cref="EnvironmentException">No python3 on PATH and no KFORGE_PYTHON.</exception>
    public static string FindPython() =>
        Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } configured
            ? configured
            : NvccLocator.Default.FindOnPath("python3")
              ?? throw new EnvironmentException($"python3 was not found: install Python 3.10+ with torch 2.x, or set {PythonVariable} to such a Python.");

    public EvaluationSessionOptions SessionOptions(int inputSets, int device, Action<string>? stderrSink) => new(
        new WorkerOptions(PythonPath, Resources.WorkerSourceDirectory, device) { StderrSink = stderrSink },
        () => new ProcessStartInfo(Environment.ProcessPath!)
        {
            ArgumentList = { Commands.RunnerCommand.CommandName, "--device", device.ToString(CultureInfo.InvariantCulture) },
        },
        Nvcc,
        Resources.AbiDirectory,
        CompileCacheDirectory,
        File.ReadAllText(Resources.EmptyKernelPath),
        Seeds(inputSets))
    {
        ParallelCompileSteps = !string.Equals(Environment.GetEnvironmentVariable(NvccStepsVariable), "sequential", StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>Seeds of the independent input sets: the first three fixed, more derived from them.</summary>
    public static IReadOnlyList<long> Seeds(int count) =>
        [.. Enumerable.Range(0, count).Select(index => index < EvaluationSessionOptions.DefaultSeeds.Count ? EvaluationSessionOptions.DefaultSeeds[index] : 1001L * (index + 1))];

    private static string DefaultCacheDirectory()
    {
        if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cacheHome, "kforge", "builds");
    }
}
