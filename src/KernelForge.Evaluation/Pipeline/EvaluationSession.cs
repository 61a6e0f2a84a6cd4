using System.Globalization;
using KernelForge.Core;
using KernelForge.Evaluation.Compilation;
using KernelForge.Evaluation.Extension;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Pipeline;

/// <summary>
/// One GPU's evaluation session: a reference worker and an ABI runner, started once, with the session's floors
/// (measured peak bandwidth, empty-kernel time) measured once; evaluates candidates one at a time.
/// </summary>
/// <remarks>
/// Order per candidate: compile → load → run every input set (poisoned outputs, canaries, input checksums) →
/// compare in the worker against float64 → only then time the candidate and the reference with the same protocol.
/// Candidate failures come back as rejected results; a malformed problem throws <see cref="ProblemException"/>, a
/// missing piece of the machine <see cref="EnvironmentException"/>.
/// </remarks>
public sealed partial class EvaluationSession : IKernelEvaluator, IAsyncDisposable
{
    private readonly EvaluationSessionOptions _options;
    private readonly WorkerClient _worker;
    private readonly AbiRunnerClient _runner;
    private readonly string _sharedDirectory;
    private readonly IProgress<string>? _progress;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, LoadedProblem> _problems = [];
    private readonly Dictionary<string, (TimingSummary? Eager, TimingSummary? Compiled, IReadOnlyList<string> Warnings)> _referenceTimings = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ExtensionRunnerClient? _extension;

    private EvaluationSession(EvaluationSessionOptions options, WorkerClient worker, AbiRunnerClient runner, string sharedDirectory, IProgress<string>? progress, TimeProvider timeProvider)
    {
        _options = options;
        _worker = worker;
        _runner = runner;
        _sharedDirectory = sharedDirectory;
        _progress = progress;
        _timeProvider = timeProvider;
    }

    /// <summary>The machine this session measures on, with its floors.</summary>
    public EnvironmentInfo Environment { get; private set; } = null!;

    /// <summary>Builds candidates for this session's GPU; callers may fill it ahead of <see cref="EvaluateAsync"/> to compile a batch in parallel.</summary>
    public CompilePool CompilePool { get; private set; } = null!;

    /// <summary>Starts the worker and the runner, checks they work, and measures the session's floors.</summary>
    public static async Task<EvaluationSession> StartAsync(EvaluationSessionOptions options, IProgress<string>? progress = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sharedDirectory = Path.Combine(options.SharedMemoryRoot, "kforge-" + System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(sharedDirectory);
        var worker = WorkerClient.Start(options.Worker, options.Worker.StderrSink);
        var runner = new AbiRunnerClient(options.RunnerStartInfo, options.Worker.StderrSink);
        var session = new EvaluationSession(options, worker, runner, sharedDirectory, progress, timeProvider ?? TimeProvider.System);
        try
        {
            await session.InitializeAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public async Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var problem = WarningsFor(await LoadProblemAsync(request.ProblemPath, cancellationToken), request.Precision);
            var attempt = new Attempt(request, problem, [.. problem.Info.Warnings], Environment, _timeProvider);
            var (runner, compile, rejection) = await PrepareAsync(attempt, cancellationToken);
            return rejection ?? await RunCheckAndTimeAsync(attempt, runner!, compile, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync();
        if (_extension is not null)
        {
            await _extension.DisposeAsync();
        }
        CompilePool?.Dispose();
        await _worker.DisposeAsync();
        try
        {
            Directory.Delete(_sharedDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the files are in shared memory and vanish at reboot anyway.
        }

        _gate.Dispose();
    }

    private void Report(string message) => _progress?.Report(message);
}
