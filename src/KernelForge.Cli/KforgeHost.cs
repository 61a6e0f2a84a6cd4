using System.Diagnostics;
using System.Globalization;
using KernelForge.Evaluation.Compilation;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Cli;

/// <summary>
/// What this machine provides for an evaluation session, found and checked in the order a user fixes things:
/// a GPU, then nvcc, then Python; each missing piece is one sentence saying how to fix it. cuDNN is optional:
/// <see cref="CudnnLibraryPath"/> is null without it.
/// </summary>
internal sealed record KforgeHost(KforgeResources Resources, NvccInstallation Nvcc, string PythonPath, string CompileCacheDirectory)
{
    public const string PythonVariable = "KFORGE_PYTHON";
    public const string CacheVariable = "KFORGE_CACHE_DIR";

    /// <summary>The loader's search path, which the runner process gets with cuDNN's folder first.</summary>
    public const string LibraryPathVariable = "LD_LIBRARY_PATH";

    /// <summary>The cuDNN library candidates calling cuDNN link (<see cref="CudnnLocator"/>); null when this host has none.</summary>
    public string? CudnnLibraryPath { get; init; }

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

        var python = FindPython();
        // Never fails: without cuDNN, candidates that call it link none and get ctx->cudnn = NULL.
        var cudnn = await CudnnLocator.ForPython(python).FindAsync(nvcc.CudaLibraryDirectory, cancellationToken);
        return new KforgeHost(resources, nvcc, python, DefaultCacheDirectory()) { CudnnLibraryPath = cudnn };
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
        () => RunnerStartInfo(device),
        Nvcc,
        Resources.AbiDirectory,
        CompileCacheDirectory,
        File.ReadAllText(Resources.EmptyKernelPath),
        Seeds(inputSets))
    {
        ParallelCompileSteps = !string.Equals(Environment.GetEnvironmentVariable(NvccStepsVariable), "sequential", StringComparison.OrdinalIgnoreCase),
        CudnnLibraryPath = CudnnLibraryPath,
    };

    /// <summary>
    /// How to start the ABI runner for <paramref name="device"/>: this binary with the hidden verb and, when cuDNN is
    /// known, cuDNN's folder first on LD_LIBRARY_PATH.
    /// </summary>
    /// <remarks>
    /// A candidate finds libcudnn.so.9 itself through the rpath its build records, but cuDNN 9 loads its sub-libraries
    /// (libcudnn_graph.so.9, libcudnn_cnn.so.9, libcudnn_engines_*.so.9) by name at run time, when the first handle or
    /// convolution needs them, and pip's wheel folder is on no search path; with the folder first on the runner's
    /// LD_LIBRARY_PATH they come from the same installation as the library the candidate linked, whatever cuDNN else lies
    /// on the path.
    /// </remarks>
    public ProcessStartInfo RunnerStartInfo(int device)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!)
        {
            ArgumentList = { Commands.RunnerCommand.CommandName, "--device", device.ToString(CultureInfo.InvariantCulture) },
        };
        if (CudnnLibraryPath is not null && Path.GetDirectoryName(CudnnLibraryPath) is { Length: > 0 } cudnnDirectory)
        {
            var current = startInfo.Environment.TryGetValue(LibraryPathVariable, out var value) ? value : null;
            startInfo.Environment[LibraryPathVariable] = WithDirectoryFirst(cudnnDirectory, current);
        }

        return startInfo;
    }

    /// <summary><paramref name="directory"/> followed by the entries of <paramref name="searchPath"/> (a colon list, maybe empty) other than it.</summary>
    internal static string WithDirectoryFirst(string directory, string? searchPath) =>
        string.Join(
            Path.PathSeparator,
            [directory, .. (searchPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(entry => !string.Equals(entry.TrimEnd('/'), directory.TrimEnd('/'), StringComparison.Ordinal))]);

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
