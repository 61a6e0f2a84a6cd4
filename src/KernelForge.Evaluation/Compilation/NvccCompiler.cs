using System.Globalization;
using System.Text;
using KernelForge.Core;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Builds one candidate source into a shared library with nvcc, and checks that it exports the ABI entry point.</summary>
/// <remarks>
/// Command line: <c>nvcc -O3 -lineinfo -gencode=… -Xcompiler -fPIC -shared -cudart shared -Xptxas -v -I &lt;abi&gt;
/// [-ccbin X] [-Xlinker -rpath,&lt;cudalib&gt;] [extra flags] -o &lt;out&gt;/kernel.so kernel.cu [-lcublas …]</c>, the
/// libraries being those the static rules see the source call (<see cref="LinkLibrariesOf"/>; cuDNN by full path, see
/// <see cref="LibraryArguments"/>), run in a fresh temporary
/// folder that is deleted afterwards, so diagnostics read <c>kernel.cu(12): error: …</c>. The headers of
/// <see cref="NvccOptions.IncludeDirectory"/> are read once, at construction, and every build includes that snapshot
/// (copied into its folder), so a cache key always describes what was built; restart after editing kforge_abi.h.
/// Thread-safe: every call works in its own folders. Caching and parallelism live in <see cref="CompilePool"/>.
/// </remarks>
public sealed class NvccCompiler : IKernelCompiler
{
    public const string SourceFileName = "kernel.cu";

    /// <summary>The symbol <c>KFORGE_ENTRY</c> defines (<c>KFORGE_ENTRY_NAME</c> in kforge_abi.h).</summary>
    public const string EntryPointName = "kforge_entry";

    /// <summary>The failure log line for a library without the entry point.</summary>
    public const string MissingEntryPointMessage =
        "no kforge_entry exported; define it with KFORGE_ENTRY(...) from kforge_abi.h (an extern \"C\" function with default visibility).";

    /// <summary>The static rules' link name for cuDNN, which is linked by file, not by <c>-l</c>.</summary>
    private const string CudnnLinkName = "cudnn";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly string[] HeaderPatterns = ["*.h", "*.cuh", "*.hpp"];

    private readonly TimeProvider _timeProvider;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly string _headerContent;

    /// <summary>A compiler for <paramref name="options"/>, whose nvcc reported <paramref name="nvccVersionText"/> (see <see cref="NvccInstallation.VersionText"/>).</summary>
    /// <exception cref="ArgumentException">The options are invalid (for example <c>-G</c> among the extra flags); the message says how to fix them.</exception>
    public NvccCompiler(NvccOptions options, string nvccVersionText, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(nvccVersionText);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid nvcc options:" + string.Concat(errors.Select(e => "\n  - " + e)), nameof(options));
        }

        Options = options;
        NvccVersionText = nvccVersionText;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _headers = ReadHeaders(options.IncludeDirectory);
        _headerContent = string.Concat(_headers.Select(h => h.Key + "\0" + h.Value + "\0"));
    }

    public NvccOptions Options { get; }

    /// <summary>The <c>nvcc --version</c> output this compiler's cache keys include.</summary>
    public string NvccVersionText { get; }

    /// <summary>Validates <paramref name="options"/> and asks their nvcc for its version.</summary>
    public static async Task<NvccCompiler> CreateAsync(NvccOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var version = await NvccLocator.QueryVersionAsync(options.NvccPath, cancellationToken);
        return new NvccCompiler(options, version, timeProvider);
    }

    /// <summary>
    /// The libraries a candidate's build links: those whose host API the static rules see it call (cuBLAS →
    /// <c>cublas</c>, …). A shared library links with undefined symbols anyway, but then fails to load (or crashes on
    /// first call) in a runner that has not loaded the library itself, so they are linked by name.
    /// </summary>
    public static IReadOnlyList<string> LinkLibrariesOf(string source) =>
        StaticChecker.Check(source, CandidateFormat.Abi, LibraryPolicy.AllowLibraries).LinkLibraries;

    /// <summary>The nvcc arguments that build <paramref name="sourcePath"/> into <paramref name="outputPath"/>, linking <paramref name="linkLibraries"/> (<c>-l</c> names).</summary>
    public IReadOnlyList<string> BuildArguments(string sourcePath, string outputPath, string includeDirectory, IReadOnlyList<string>? linkLibraries = null)
    {
        List<string> arguments =
        [
            "-O3",
            "-lineinfo",
            Options.GencodeFlag,
            "-Xcompiler", "-fPIC",
            "-shared",
            "-cudart", "shared",
            "-Xptxas", "-v",
            "-I", includeDirectory,
        ];
        if (Options.HostCompiler is { } hostCompiler)
        {
            arguments.AddRange(["-ccbin", hostCompiler]);
        }

        if (Options.CudaLibraryDirectory is { } libraryDirectory)
        {
            arguments.AddRange(["-Xlinker", "-rpath," + libraryDirectory]);
        }

        arguments.AddRange(Options.ExtraFlags);
        arguments.AddRange(["-o", outputPath, sourcePath]);

        // After the source: a linker that drops libraries no earlier object needs (--as-needed) keeps them there.
        arguments.AddRange((linkLibraries ?? []).SelectMany(LibraryArguments));
        return arguments;
    }

    /// <summary>
    /// How one link name enters the command line: <c>-l&lt;name&gt;</c>, except cuDNN. pip's torch ships cuDNN as
    /// <c>libcudnn.so.9</c> alone, in a folder on no search path, so it is linked by full path with an rpath to its folder
    /// when <see cref="NvccOptions.CudnnLibraryPath"/> is known, and not at all when it is not: generated kernels declare
    /// cuDNN's functions weak, so they still link and run their own kernel (the runner leaves <c>ctx->cudnn</c> NULL),
    /// while a hand-written kernel including cudnn.h fails to compile on such a host before anything is linked.
    /// </summary>
    /// <remarks>
    /// <c>--no-as-needed</c> around it: a kernel whose only references to cuDNN are weak would otherwise lose the library
    /// under a host compiler that links <c>--as-needed</c> by default (Debian's and Ubuntu's gcc do), since GNU ld records a
    /// library as needed only for a non-weak reference; the runner then finds no <c>cudnnCreate</c> through the candidate.
    /// </remarks>
    private IEnumerable<string> LibraryArguments(string linkName)
    {
        if (!string.Equals(linkName, CudnnLinkName, StringComparison.Ordinal))
        {
            return ["-l" + linkName];
        }

        if (Options.CudnnLibraryPath is not { } cudnn)
        {
            return [];
        }

        var directory = Path.GetDirectoryName(cudnn) is { Length: > 0 } folder ? folder : ".";
        return
        [
            "-Xlinker", "--push-state", "-Xlinker", "--no-as-needed", "-Xlinker", cudnn, "-Xlinker", "--pop-state",
            "-Xlinker", "-rpath," + directory,
        ];
    }

    /// <inheritdoc />
    /// <remarks>
    /// The command line enters with the source, output and include paths replaced by placeholders; the headers in
    /// the include folder enter by content. So moving the checkout keeps the cache, editing kforge_abi.h does not.
    /// </remarks>
    public string ComputeCacheKey(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var commandLine = string.Join('\n', BuildArguments("<source>", "<output>", "<include>", LinkLibrariesOf(source)));
        return CompileCache.ComputeKey(source, commandLine, NvccVersionText, _headerContent);
    }

    /// <inheritdoc />
    public async Task<CompileResult> CompileAsync(string source, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var work = Directory.CreateTempSubdirectory("kforge-nvcc-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work.FullName, SourceFileName), source, Utf8, cancellationToken);
            var include = work.CreateSubdirectory("include").FullName;
            foreach (var (name, content) in _headers)
            {
                await File.WriteAllTextAsync(Path.Combine(include, name), content, Utf8, cancellationToken);
            }

            var library = Path.GetFullPath(Path.Combine(outputDirectory, CompileCache.LibraryFileName));
            var arguments = BuildArguments(SourceFileName, library, include, LinkLibrariesOf(source));

            var start = _timeProvider.GetTimestamp();
            var run = Options.ParallelSteps ? await TryParallelStepsAsync(source, arguments, work.FullName, cancellationToken) : null;
            run ??= await ToolProcess.RunAsync(Options.NvccPath, arguments, work.FullName, Options.Timeout, _timeProvider, cancellationToken);
            var seconds = _timeProvider.GetElapsedTime(start).TotalSeconds;

            if (run.TimedOut)
            {
                return CompileResult.Failed(
                    FailureKind.CompileTimeout,
                    seconds,
                    run.Output + string.Create(
                        CultureInfo.InvariantCulture,
                        $"nvcc ran past its {Options.Timeout.TotalSeconds:0.###} s deadline and was killed; simplify the source (deep template instantiation, huge unrolled loops) or raise NvccOptions.Timeout.\n"));
            }

            if (run.ExitCode != 0)
            {
                return CompileResult.Failed(
                    FailureKind.CompileError,
                    seconds,
                    run.Output + string.Create(CultureInfo.InvariantCulture, $"nvcc exited with code {run.ExitCode}.\n"));
            }

            if (!File.Exists(library))
            {
                return CompileResult.Failed(FailureKind.CompileError, seconds, run.Output + "nvcc reported success but wrote no library.\n");
            }

            var failure = await CheckEntryPointAsync(library, cancellationToken);
            if (failure is not null)
            {
                File.Delete(library);
                return CompileResult.Failed(FailureKind.CompileError, seconds, run.Output + failure + "\n");
            }

            return CompileResult.Success(library, seconds, cacheHit: false, run.Output, PtxasReport.Parse(run.Output));
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>
    /// Builds with nvcc's own steps run side by side (<see cref="NvccStepPlan"/>). Returns null, so that plain nvcc builds
    /// instead, when nvcc's dry run is not understood or the build fails: only plain nvcc's failures and logs reach users.
    /// </summary>
    private async Task<ToolProcessResult?> TryParallelStepsAsync(string source, IReadOnlyList<string> arguments, string workDirectory, CancellationToken cancellationToken)
    {
        // nvcc names its intermediate files after its own process id under TMPDIR; a folder per build keeps concurrent
        // builds apart even when a process id is reused, and the files go when the folder does.
        KeyValuePair<string, string>[] environment = [KeyValuePair.Create("TMPDIR", workDirectory)];
        var dryRun = await ToolProcess.RunAsync(Options.NvccPath, [.. arguments, "--dryrun"], workDirectory, Options.Timeout, _timeProvider, cancellationToken, environment);
        if (dryRun.ExitCode != 0 || NvccStepPlan.Parse(dryRun.Output) is not { } plan)
        {
            return null;
        }

        var moduleId = NvccStepPlan.ModuleIdFor(SourceFileName, ContentHash.Of(source));
        var run = await NvccStepRunner.RunAsync(plan, moduleId, workDirectory, environment, Options.Timeout, _timeProvider, cancellationToken);
        return run.ExitCode == 0 || run.TimedOut ? run : null;
    }

    private static async Task<string?> CheckEntryPointAsync(string library, CancellationToken cancellationToken)
    {
        try
        {
            var exported = await ElfSymbols.ReadExportedNamesAsync(library, cancellationToken);
            return exported.Contains(EntryPointName, StringComparer.Ordinal) ? null : MissingEntryPointMessage;
        }
        catch (InvalidDataException ex)
        {
            return "the built library could not be read as ELF64: " + ex.Message;
        }
    }

    private static KeyValuePair<string, string>[] ReadHeaders(string includeDirectory) =>
        HeaderPatterns
            .SelectMany(pattern => Directory.EnumerateFiles(includeDirectory, pattern))
            .Order(StringComparer.Ordinal)
            .Select(path => KeyValuePair.Create(Path.GetFileName(path), File.ReadAllText(path)))
            .ToArray();

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; the build's result is what matters.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
