using System.Diagnostics;
using System.Text.Json.Nodes;
using KernelForge.Core;
using KernelForge.Evaluation.Protocol;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// The orchestrator's side of a runner process that loads one candidate at a time (the ABI runner, the extension
/// runner): serialized calls over JSON lines, the run and time requests they share, and a fresh process whenever the
/// last one crashed, hung or lost its CUDA context.
/// </summary>
/// <remarks>
/// A candidate that crashes or hangs its runner is an expected failure: <see cref="RunAsync"/> and <see cref="TimeAsync"/>
/// report <see cref="FailureKind.RunnerCrashed"/> or <see cref="FailureKind.Timeout"/> values, and the next call starts a
/// new process, which has nothing loaded. Infrastructure faults (bad requests, no GPU) are exceptions.
/// </remarks>
public abstract class CandidateRunnerClient(Func<ProcessStartInfo> startInfoFactory, string displayName, Action<string>? stderrSink)
    : ICandidateRunner, IAsyncDisposable
{
    private readonly Func<ProcessStartInfo> _startInfoFactory = startInfoFactory ?? throw new ArgumentNullException(nameof(startInfoFactory));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private JsonLinesProcess? _process;
    private bool _processHasLoaded;
    private bool _disposed;

    /// <summary>How many runner processes this client has started (restarts after a crash count).</summary>
    public int StartCount { get; private set; }

    /// <summary>What the current process has loaded; null before a load, after a failed one, and after a restart.</summary>
    protected string? LoadedPath { get; set; }

    /// <summary>Why <see cref="RunAsync"/> or <see cref="TimeAsync"/> cannot proceed when nothing is loaded.</summary>
    protected abstract string NothingLoadedMessage { get; }

    /// <summary>Starts a runner process unless a live one is already there.</summary>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LiveProcessAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs the loaded candidate once on input set <paramref name="inputSet"/>; on success its outputs are in <paramref name="outputPaths"/>.</summary>
    public async Task<RunnerRunResult> RunAsync(int inputSet, IReadOnlyList<string> outputPaths, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputPaths);
        RequireLoaded();
        var request = new JsonObject
        {
            ["input_set"] = inputSet,
            ["output_paths"] = new JsonArray([.. outputPaths.Select(path => JsonValue.Create(path))]),
        };
        AddRunFields(inputSet, request);
        return await SendRunAsync(request, deadline, cancellationToken);
    }

    /// <summary>Fields a runner's <c>run</c> request has beyond the input set and output paths; none by default.</summary>
    protected virtual void AddRunFields(int inputSet, JsonObject request)
    {
    }

    /// <summary>Sends one <c>run</c> request; a crash or a hang of the runner comes back as a failure value.</summary>
    protected async Task<RunnerRunResult> SendRunAsync(JsonObject request, TimeSpan deadline, CancellationToken cancellationToken)
    {
        try
        {
            var response = await RequestAsync("run", request, deadline, cancellationToken);
            return new RunnerRunResult(FailureOf(response), JsonFields.Text(response, "message"), JsonFields.Int32Value(response, "return_code"))
            {
                CallMicroseconds = JsonFields.Number(response, "call_us"),
                Launches = JsonFields.Int32Value(response, "launches"),
                LaunchedKernels = response["launched_kernels"] is JsonObject kernels
                    ? kernels.ToDictionary(pair => pair.Key, pair => pair.Value?.GetValue<int>() ?? 0, StringComparer.Ordinal)
                    : null,
                LaunchesNotCounted = JsonFields.Text(response, "launches_not_counted"),
            };
        }
        catch (ProcessCrashedException ex)
        {
            return new RunnerRunResult(FailureKind.RunnerCrashed, CrashMessage(ex), ReturnCode: null);
        }
        catch (ProcessTimeoutException ex)
        {
            return new RunnerRunResult(FailureKind.Timeout, ex.Message, ReturnCode: null);
        }
    }

    /// <summary>Times the loaded candidate with the shared timing protocol; returns the raw samples in µs.</summary>
    public async Task<RunnerTimeResult> TimeAsync(TimingOptions timing, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timing);
        RequireLoaded();
        try
        {
            var response = await RequestAsync("time", new JsonObject { ["timing"] = JsonFields.FromTimingOptions(timing) }, deadline, cancellationToken);
            return new RunnerTimeResult(
                JsonFields.Doubles(response, "samples_us"),
                JsonFields.Flag(response, "l2_flushed") ?? false,
                JsonFields.Number(response, "wall_ms"),
                FailureOf(response),
                JsonFields.Text(response, "message"));
        }
        catch (ProcessCrashedException ex)
        {
            return RunnerTimeResult.Failed(FailureKind.RunnerCrashed, CrashMessage(ex));
        }
        catch (ProcessTimeoutException ex)
        {
            return RunnerTimeResult.Failed(FailureKind.Timeout, ex.Message);
        }
    }

    /// <summary>Asks the runner to shut down (best effort), then makes sure it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            if (_process is { } process)
            {
                _process = null;
                LoadedPath = null;
                await process.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>One request to the live process; <paramref name="freshProcess"/> retires a process that already loaded something first.</summary>
    protected async Task<JsonObject> RequestAsync(string op, JsonObject? fields, TimeSpan deadline, CancellationToken cancellationToken, bool freshProcess = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (freshProcess && _processHasLoaded)
            {
                await RetireAsync();
            }

            var process = await LiveProcessAsync();
            if (freshProcess)
            {
                _processHasLoaded = true;
                LoadedPath = null;
            }

            try
            {
                var response = await process.RequestAsync(op, fields, deadline, cancellationToken);
                if (JsonFields.Flag(response, "runner_exiting") == true)
                {
                    // The runner lost its CUDA context and exits after this answer; the next call gets a fresh one.
                    await RetireAsync();
                }

                return response;
            }
            catch (Exception ex) when (ex is ProcessCrashedException or ProcessTimeoutException or OperationCanceledException)
            {
                // Crashed, killed at the deadline, or abandoned mid-request: none of these processes can be trusted again.
                await RetireAsync();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    protected static FailureKind? FailureOf(JsonObject response) => JsonFields.Text(response, "failure") is { } failure ? new FailureKind(failure) : null;

    protected static string CrashMessage(ProcessCrashedException crash) =>
        string.IsNullOrWhiteSpace(crash.StderrTail) ? crash.Message : $"{crash.Message}\n{crash.StderrTail}";

    /// <summary>The current process, or a fresh one when there is none or it has exited (e.g. after a sticky error). Call under the gate.</summary>
    private async Task<JsonLinesProcess> LiveProcessAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is { HasExited: true })
        {
            await RetireAsync();
        }

        if (_process is null)
        {
            _process = JsonLinesProcess.Start(_startInfoFactory(), displayName, stderrSink);
            _processHasLoaded = false;
            StartCount++;
        }

        return _process;
    }

    private async Task RetireAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            _processHasLoaded = false;
            LoadedPath = null;
            process.Kill();
            await process.DisposeAsync();
        }
    }

    protected void RequireLoaded()
    {
        if (LoadedPath is null)
        {
            throw new InvalidOperationException(NothingLoadedMessage);
        }
    }
}
