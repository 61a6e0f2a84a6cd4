using System.Reflection;
using System.Runtime.InteropServices;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// Finds and loads <c>libcudart</c> (by full path where possible) and <c>libcuda</c>, and points this assembly's
/// P/Invokes at them.
/// </summary>
/// <remarks>
/// Candidates are linked with <c>-cudart shared</c>, so their <c>DT_NEEDED</c> names the runtime by soname. The dynamic
/// loader satisfies a <c>DT_NEEDED</c> with an already loaded library of that soname, so loading the runtime here
/// before any candidate makes the candidate and the runner share one CUDA runtime instance (one context, one set of
/// streams). Order: <c>$KFORGE_CUDART</c> alone when set; else <c>$CUDA_HOME/lib64</c>, <c>/usr/local/cuda/lib64</c>,
/// then the loader's own search, each for <c>libcudart.so.13</c>, <c>.12</c>, <c>.11.0</c>, then <c>libcudart.so</c>.
/// </remarks>
internal static class CudaLibraryLoader
{
    public const string RuntimeLibraryName = "kforge-cudart";
    public const string DriverLibraryName = "kforge-cuda";

    /// <summary>CUPTI, for counting launches (<see cref="LaunchCounter"/>); optional.</summary>
    public const string CuptiLibraryName = "kforge-cupti";

    /// <summary>glibc, by its soname: the bare name "libc" would find the linker script libc.so, which dlopen refuses.</summary>
    public const string CLibraryName = "kforge-libc";

    private static readonly string[] RuntimeFileNames = ["libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so"];

    private static readonly Lazy<(nint Handle, string PathOrReason)> Runtime = new(LoadRuntime);
    private static readonly Lazy<nint> Driver = new(() => NativeLibrary.TryLoad("libcuda.so.1", out var handle) ? handle : 0);
    private static readonly string[] CuptiFileNames = ["libcupti.so.13", "libcupti.so.12", "libcupti.so"];

    private static readonly Lazy<(nint Handle, string PathOrReason)> Cupti = new(LoadCupti);
    private static readonly Lazy<nint> CLibrary = new(() => NativeLibrary.TryLoad("libc.so.6", out var handle) ? handle : 0);
    private static readonly Lock RegistrationLock = new();
    private static bool _registered;

    /// <summary>The path the runtime was loaded from, or null when it could not be loaded.</summary>
    public static string? RuntimePath => Runtime.Value.Handle != 0 ? Runtime.Value.PathOrReason : null;

    /// <summary>Loads the runtime if needed; false with a one-sentence reason when no candidate loads. Never throws.</summary>
    public static bool TryGetRuntime(out nint handle, out string reason)
    {
        var (loaded, pathOrReason) = Runtime.Value;
        handle = loaded;
        reason = loaded != 0 ? string.Empty : pathOrReason;
        return loaded != 0;
    }

    /// <summary>Loads CUPTI if needed; false with a reason when it is not installed here. Never throws.</summary>
    public static bool TryGetCupti(out string reason)
    {
        EnsureRegistered();
        var (handle, pathOrReason) = Cupti.Value;
        reason = handle != 0 ? string.Empty : pathOrReason;
        return handle != 0;
    }

    /// <summary>Where CUPTI is looked for, in order (pure, for tests): <c>$KFORGE_CUPTI</c> alone when set; else the toolkit's
    /// <c>extras/CUPTI/lib64</c>, <c>lib64</c> and <c>targets/x86_64-linux/lib</c> under <c>$CUDA_HOME</c> and
    /// <c>/usr/local/cuda</c>, then the loader's own search.</summary>
    internal static IReadOnlyList<string> CuptiCandidates(string? overridePath, string? cudaHome)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            return [overridePath];
        }

        string[] subdirectories = ["extras/CUPTI/lib64", "lib64", "targets/x86_64-linux/lib"];
        return
        [
            .. ToolkitRoots(cudaHome).SelectMany(root => subdirectories.SelectMany(sub => CuptiFileNames.Select(name => Path.Combine(root, sub, name)))),
            .. CuptiFileNames,
        ];
    }

    /// <summary><c>$CUDA_HOME</c> when set, then <c>/usr/local/cuda</c> (once).</summary>
    private static IEnumerable<string> ToolkitRoots(string? cudaHome) =>
        new[] { string.IsNullOrWhiteSpace(cudaHome) ? null : cudaHome, "/usr/local/cuda" }.OfType<string>().Distinct(StringComparer.Ordinal);

    /// <summary>Makes this assembly's library names (<see cref="RuntimeLibraryName"/>, …) resolve to the libraries found here.</summary>
    public static void EnsureRegistered()
    {
        lock (RegistrationLock)
        {
            if (!_registered)
            {
                NativeLibrary.SetDllImportResolver(typeof(CudaLibraryLoader).Assembly, Resolve);
                _registered = true;
            }
        }
    }

    /// <summary>The paths and names to try, in order (pure, for tests).</summary>
    internal static IReadOnlyList<string> RuntimeCandidates(string? overridePath, string? cudaHome)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            return [overridePath];
        }

        return
        [
            .. ToolkitRoots(cudaHome).SelectMany(root => RuntimeFileNames.Select(name => Path.Combine(root, "lib64", name))),
            .. RuntimeFileNames,
        ];
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) => libraryName switch
    {
        RuntimeLibraryName => Runtime.Value.Handle,
        DriverLibraryName => Driver.Value,
        CLibraryName => CLibrary.Value,
        CuptiLibraryName => Cupti.Value.Handle,
        // Zero lets the runtime's default probing handle any other library of this assembly.
        _ => 0,
    };

    private static (nint Handle, string PathOrReason) LoadCupti()
    {
        if (LoadFirst(CuptiCandidates(Environment.GetEnvironmentVariable("KFORGE_CUPTI"), Environment.GetEnvironmentVariable("CUDA_HOME"))) is { Handle: not 0 } loaded)
        {
            return loaded;
        }

        return (0, "CUPTI (libcupti.so) was not found under $CUDA_HOME or /usr/local/cuda (extras/CUPTI/lib64, lib64) or on the loader path; set KFORGE_CUPTI to its full path to count launches");
    }

    private static (nint Handle, string PathOrReason) LoadRuntime()
    {
        var overridePath = Environment.GetEnvironmentVariable("KFORGE_CUDART");
        if (LoadFirst(RuntimeCandidates(overridePath, Environment.GetEnvironmentVariable("CUDA_HOME"))) is { Handle: not 0 } loaded)
        {
            return loaded;
        }

        var reason = string.IsNullOrWhiteSpace(overridePath)
            ? "no CUDA runtime library found (looked for libcudart.so.13/.12/.11.0 in $CUDA_HOME/lib64, /usr/local/cuda/lib64 and the loader path); " +
              "install the CUDA toolkit or set KFORGE_CUDART to the full path of libcudart.so"
            : $"no CUDA runtime library found: KFORGE_CUDART={overridePath} could not be loaded; point it at an existing libcudart.so";
        return (0, reason);
    }

    /// <summary>The first candidate that loads, with its path; (0, "") when none does.</summary>
    private static (nint Handle, string PathOrReason) LoadFirst(IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            // A full path that does not exist is skipped without asking the loader; bare names go to the loader's search.
            if (Path.IsPathRooted(candidate) && !File.Exists(candidate))
            {
                continue;
            }

            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return (handle, candidate);
            }
        }

        return (0, string.Empty);
    }
}
