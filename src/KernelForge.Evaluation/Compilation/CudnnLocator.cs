using System.Globalization;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Finds the cuDNN library file that candidates calling cuDNN are linked against (<see cref="NvccOptions.CudnnLibraryPath"/>).</summary>
/// <remarks>
/// Looked for, in order: <c>$KFORGE_CUDNN_LIBRARY</c> (a library file, or a folder holding one), the CUDA toolkit's
/// library folder, <c>/usr/lib/x86_64-linux-gnu</c>, <c>/usr/local/cuda/lib64</c>, and last the folder of the
/// <c>nvidia-cudnn</c> wheel that pip's torch brings, asked of the worker's Python. A setting that names no library is
/// passed over. In a folder the newest <c>libcudnn.so.&lt;N&gt;</c> wins, then <c>libcudnn.so</c>. Never fails: a host
/// without cuDNN gives null, and candidates then run with <c>ctx->cudnn</c> NULL. The environment and the Python query
/// come through the constructor, so tests need neither a real cuDNN nor a Python.
/// </remarks>
public sealed class CudnnLocator(
    Func<string, string?> getEnvironmentVariable,
    Func<CancellationToken, Task<string?>> queryPythonLibraryDirectoryAsync,
    IReadOnlyList<string>? systemDirectories = null)
{
    /// <summary>Names the cuDNN library file, or a folder holding it; wins over every other source.</summary>
    public const string LibraryVariable = "KFORGE_CUDNN_LIBRARY";

    private const string LibraryFileName = "libcudnn.so";

    // Importing nvidia.cudnn (a namespace package of the cuDNN wheel) is cheap: no torch import, no CUDA initialization.
    private const string PythonQuery = "import nvidia.cudnn, os; print(os.path.join(list(nvidia.cudnn.__path__)[0], 'lib'))";

    private static readonly TimeSpan PythonQueryTimeout = TimeSpan.FromSeconds(30);

    private static readonly Comparer<int[]?> VersionOrder = Comparer<int[]?>.Create((x, y) =>
        x!.Zip(y!).Select(pair => pair.First.CompareTo(pair.Second)).FirstOrDefault(order => order != 0));

    private static readonly string[] DefaultSystemDirectories = ["/usr/lib/x86_64-linux-gnu", "/usr/local/cuda/lib64"];

    private readonly Func<string, string?> _getEnvironmentVariable = getEnvironmentVariable ?? throw new ArgumentNullException(nameof(getEnvironmentVariable));
    private readonly Func<CancellationToken, Task<string?>> _queryPythonLibraryDirectoryAsync =
        queryPythonLibraryDirectoryAsync ?? throw new ArgumentNullException(nameof(queryPythonLibraryDirectoryAsync));
    private readonly IReadOnlyList<string> _systemDirectories = systemDirectories ?? DefaultSystemDirectories;

    /// <summary>Reads the process environment and asks <paramref name="pythonPath"/> (the worker's Python) last.</summary>
    public static CudnnLocator ForPython(string pythonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(pythonPath);
        return new(Environment.GetEnvironmentVariable, cancellationToken => QueryPythonLibraryDirectoryAsync(pythonPath, cancellationToken));
    }

    /// <summary>
    /// The full path of the cuDNN library, or null when none is where this class looks; <paramref name="cudaLibraryDirectory"/>
    /// is the toolkit's library folder (<see cref="NvccOptions.CudaLibraryDirectory"/>), or null.
    /// </summary>
    public async Task<string?> FindAsync(string? cudaLibraryDirectory, CancellationToken cancellationToken = default)
    {
        if (_getEnvironmentVariable(LibraryVariable) is { Length: > 0 } configured
            && (File.Exists(configured) ? configured : FindInDirectory(configured)) is { } chosen)
        {
            return Path.GetFullPath(chosen);
        }

        string?[] directories = [cudaLibraryDirectory, .. _systemDirectories];
        if (directories.OfType<string>().Select(FindInDirectory).FirstOrDefault(found => found is not null) is { } onHost)
        {
            return Path.GetFullPath(onHost);
        }

        return await _queryPythonLibraryDirectoryAsync(cancellationToken) is { } wheel && FindInDirectory(wheel) is { } fromWheel
            ? Path.GetFullPath(fromWheel)
            : null;
    }

    /// <summary>
    /// The cuDNN library in <paramref name="directory"/>: the newest <c>libcudnn.so.&lt;N&gt;</c> (its soname-like name
    /// before longer ones of the same major version), else <c>libcudnn.so</c>; null when there is neither, or no such folder.
    /// Sub-libraries (<c>libcudnn_cnn.so.9</c>, …) never count.
    /// </summary>
    public static string? FindInDirectory(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            return null;
        }

        return Directory.EnumerateFiles(directory, LibraryFileName + "*")
            .Select(path => (Path: path, Version: VersionOf(Path.GetFileName(path))))
            .Where(file => file.Version is not null && File.Exists(file.Path))
            .OrderByDescending(file => file.Version![0])
            .ThenBy(file => file.Version!.Length)
            .ThenByDescending(file => file.Version, VersionOrder)
            .ThenBy(file => file.Path, StringComparer.Ordinal)
            .Select(file => file.Path)
            .FirstOrDefault();
    }

    /// <summary>
    /// The folder the cuDNN wheel keeps its libraries in, as <paramref name="pythonPath"/> reports it; null when that
    /// Python has no cuDNN wheel or cannot be run.
    /// </summary>
    public static async Task<string?> QueryPythonLibraryDirectoryAsync(string pythonPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pythonPath);
        ToolProcessResult result;
        try
        {
            result = await ToolProcess.RunAsync(pythonPath, ["-c", PythonQuery], workingDirectory: null, PythonQueryTimeout, TimeProvider.System, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // No such Python: KforgeHost reports that itself, for the worker, in words that say how to fix it.
            return null;
        }

        // The print is stdout's last line; the interpreter's own noise (warnings) goes to stderr, or comes before it.
        return result.ExitCode == 0
            && result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [.., var last]
            ? last
            : null;
    }

    // "libcudnn.so" → [0]; "libcudnn.so.9" → [9]; "libcudnn.so.9.1.0" → [9, 1, 0]; anything else (libcudnn.so.9.bak) → null.
    private static int[]? VersionOf(string fileName)
    {
        if (string.Equals(fileName, LibraryFileName, StringComparison.Ordinal))
        {
            return [0];
        }

        if (!fileName.StartsWith(LibraryFileName + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = fileName[(LibraryFileName.Length + 1)..].Split('.');
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        return numbers;
    }
}
