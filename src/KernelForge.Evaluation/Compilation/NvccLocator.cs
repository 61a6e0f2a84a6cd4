using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Finds the CUDA compiler, the folder holding its runtime library, and a host compiler it accepts.</summary>
/// <remarks>
/// nvcc is looked for, in order, at <c>$KFORGE_NVCC</c>, <c>$CUDA_HOME/bin/nvcc</c>, <c>$CUDA_PATH/bin/nvcc</c>, on
/// <c>PATH</c>, and at <c>/usr/local/cuda/bin/nvcc</c>; a candidate path that holds no file is passed over.
/// The environment is read through the delegate given to the constructor, so tests need not touch the real one.
/// </remarks>
public sealed partial class NvccLocator(Func<string, string?> getEnvironmentVariable, IReadOnlyList<string>? fallbackCudaRoots = null)
{
    /// <summary>Names the nvcc executable explicitly; wins over every other source.</summary>
    public const string NvccVariable = "KFORGE_NVCC";

    /// <summary>Names the host compiler passed as <c>-ccbin</c>; wins over detection.</summary>
    public const string HostCompilerVariable = "KFORGE_NVCC_CCBIN";

    /// <summary>
    /// The host compiler used with nvcc 11.x when nothing is configured: Debian's nvcc 11.8 rejects the system gcc 12
    /// ("No supported gcc/g++ host compiler found, but clang-14 is available").
    /// </summary>
    public const string LegacyHostCompiler = "clang-14";

    private static readonly TimeSpan VersionQueryTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] DefaultFallbackCudaRoots = ["/usr/local/cuda"];

    // Where toolkits keep libcudart.so: the classic layout, and the per-target layout lib64 links to (x86-64, Arm servers).
    private static readonly string[] CudaLibraryFolders = ["lib64", "targets/x86_64-linux/lib", "targets/sbsa-linux/lib"];

    private readonly Func<string, string?> _getEnvironmentVariable = getEnvironmentVariable ?? throw new ArgumentNullException(nameof(getEnvironmentVariable));
    private readonly IReadOnlyList<string> _fallbackCudaRoots = fallbackCudaRoots ?? DefaultFallbackCudaRoots;

    /// <summary>Reads the process environment.</summary>
    public static NvccLocator Default { get; } = new(Environment.GetEnvironmentVariable);

    private static string ExecutableName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    /// <summary>The full path of nvcc, or null when none is installed where this class looks.</summary>
    public string? FindNvcc()
    {
        var nvcc = ExecutableName("nvcc");
        var explicitPath = Variable(NvccVariable);
        string?[] candidates =
        [
            explicitPath,
            Variable("CUDA_HOME") is { } cudaHome ? Path.Combine(cudaHome, "bin", nvcc) : null,
            Variable("CUDA_PATH") is { } cudaPath ? Path.Combine(cudaPath, "bin", nvcc) : null,
            FindOnPath(nvcc),
            .. _fallbackCudaRoots.Select(root => Path.Combine(root, "bin", nvcc)),
        ];
        return candidates.FirstOrDefault(File.Exists) is { } found ? Path.GetFullPath(found) : null;
    }

    /// <summary>
    /// The folder holding <c>libcudart.so*</c> next to <paramref name="nvccPath"/>'s toolkit, for <c>-Xlinker -rpath</c>;
    /// null when the toolkit has none there (for example Debian's, whose runtime lies on the system library path).
    /// </summary>
    public static string? FindCudaLibraryDirectory(string nvccPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nvccPath);
        var roots = new List<string>();
        AddRoot(roots, nvccPath);
        if (new FileInfo(nvccPath).ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            AddRoot(roots, target.FullName);
        }

        foreach (var root in roots)
        {
            foreach (var folder in CudaLibraryFolders)
            {
                var directory = Path.Combine(root, folder);
                if (Directory.Exists(directory) && Directory.EnumerateFiles(directory, "libcudart.so*").Any())
                {
                    return directory;
                }
            }
        }

        return null;

        static void AddRoot(List<string> roots, string nvcc)
        {
            // <root>/bin/nvcc → <root>
            if (Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(nvcc))) is { } root && !roots.Contains(root))
            {
                roots.Add(root);
            }
        }
    }

    /// <summary>
    /// The host compiler for <c>-ccbin</c>: <c>$KFORGE_NVCC_CCBIN</c> when set; otherwise <see cref="LegacyHostCompiler"/>
    /// when nvcc is release 11.x and it is on PATH; otherwise null (nvcc's default host compiler).
    /// </summary>
    public string? FindHostCompiler(Version? nvccRelease)
    {
        if (Variable(HostCompilerVariable) is { } configured)
        {
            return configured;
        }

        return nvccRelease is { Major: 11 } ? FindOnPath(ExecutableName(LegacyHostCompiler)) : null;
    }

    /// <summary>The full path of <paramref name="executable"/> in the first <c>PATH</c> folder that holds it, or null.</summary>
    public string? FindOnPath(string executable)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        if (Variable("PATH") is not { } path)
        {
            return null;
        }

        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(folder => Path.Combine(folder, executable))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Finds nvcc, asks it for its version, and picks the library folder and host compiler to go with it;
    /// null when no nvcc is installed.
    /// </summary>
    /// <exception cref="InvalidOperationException">nvcc was found but <c>nvcc --version</c> failed.</exception>
    public async Task<NvccInstallation?> LocateAsync(CancellationToken cancellationToken = default)
    {
        if (FindNvcc() is not { } nvccPath)
        {
            return null;
        }

        var versionText = await QueryVersionAsync(nvccPath, cancellationToken);
        var release = ParseRelease(versionText);
        return new NvccInstallation(nvccPath, versionText, release, FindHostCompiler(release), FindCudaLibraryDirectory(nvccPath));
    }

    /// <summary>The output of <c>nvcc --version</c>, trimmed; it names the release and the build, and goes into cache keys.</summary>
    /// <exception cref="InvalidOperationException">nvcc could not be run or reported failure.</exception>
    public static async Task<string> QueryVersionAsync(string nvccPath, CancellationToken cancellationToken = default)
    {
        var result = await ToolProcess.RunAsync(nvccPath, ["--version"], workingDirectory: null, VersionQueryTimeout, TimeProvider.System, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{nvccPath} --version' failed ({(result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")}): {result.Output.Trim()}. "
                + $"Check the CUDA installation, or point {NvccVariable} at a working nvcc.");
        }

        return result.Output.Trim();
    }

    /// <summary>The release named in <c>nvcc --version</c> output ("Cuda compilation tools, release 11.8, V11.8.89" → 11.8), or null.</summary>
    public static Version? ParseRelease(string versionText)
    {
        ArgumentNullException.ThrowIfNull(versionText);
        var match = ReleasePattern().Match(versionText);
        return match.Success
            ? new Version(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture))
            : null;
    }

    private string? Variable(string name) => _getEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    [GeneratedRegex(@"release\s+(\d+)\.(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReleasePattern();
}
