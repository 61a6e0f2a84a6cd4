using System.Diagnostics;
using System.Text.Json.Nodes;
using KernelForge.Core;
using KernelForge.Evaluation.Protocol;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// The orchestrator's handle on the ABI runner process (<c>kforge __runner</c>): typed calls over JSON lines, and a
/// fresh process whenever the last one crashed, hung or lost its CUDA context.
/// </summary>
/// <remarks>
/// A candidate that crashes or hangs the runner is an expected failure: <see cref="LoadAsync"/>, <see cref="RunAsync"/>
/// and <see cref="TimeAsync"/> report it as <see cref="FailureKind.RunnerCrashed"/> or <see cref="FailureKind.Timeout"/>
/// values, and the next call starts a new process (which has no library loaded: call <see cref="LoadAsync"/> again).
/// Infrastructure faults (bad requests, no GPU) are exceptions. Calls are serialized.
/// </remarks>
public sealed class AbiRunnerClient(Func<ProcessStartInfo> startInfoFactory, Action<string>? stderrSink = null) : ICandidateRunner, IAsyncDisposable
{
    public const string DisplayName = "ABI runner";

    private readonly Func<ProcessStartInfo> _startInfoFactory = startInfoFactory ?? throw new ArgumentNullException(nameof(startInfoFactory));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private JsonLinesProcess? _process;
    private bool _disposed;

    /// <summary>How many runner processes this client has started (a restart after a crash counts).</summary>
    public int StartCount { get; private set; }

    /// <summary>The library the current process holds; null before a load and after a restart.</summary>
    public string? LoadedLibraryPath { get; private set; }

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

    /// <summary>The runner's view of its GPU. <paramref name="device"/>, when given, must be the one the runner was started for.</summary>
    public async Task<RunnerHello> HelloAsync(TimeSpan deadline, int? device = null, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync("hello", device is null ? null : new JsonObject { ["device"] = device }, deadline, cancellationToken);
        var environment = response["environment"];
        return new RunnerHello(
            JsonFields.Text(environment, "gpu_name"),
            JsonFields.Text(environment, "compute_capability"),
            JsonFields.Text(environment, "driver_version"),
            JsonFields.Text(environment, "cuda_driver_version"),
            JsonFields.Text(environment, "cuda_runtime_version"),
            JsonFields.Text(environment, "cuda_runtime_path"),
            JsonFields.Int64Value(environment, "l2_cache_bytes"),
            JsonFields.Int32Value(environment, "multiprocessor_count"),
            JsonFields.Int32Value(environment, "sm_clock_mhz"),
            JsonFields.Int32Value(environment, "memory_clock_mhz"));
    }

    /// <summary>Peak bandwidth of a device-to-device copy of <paramref name="bytes"/> (read + written bytes per second; median of 20).</summary>
    public async Task<double?> MeasureBandwidthAsync(long bytes, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync("measure_bandwidth", new JsonObject { ["bytes"] = bytes }, deadline, cancellationToken);
        return JsonFields.Number(response, "bytes_per_second");
    }

    /// <summary>
    /// Loads a candidate library and uploads its input sets: <paramref name="inputFiles"/> holds one list of
    /// <c>.npy</c> paths per input set, one path per tensor of <paramref name="tensors"/>, in order.
    /// </summary>
    public async Task<RunnerLoadResult> LoadAsync(
        string libraryPath,
        IReadOnlyList<TensorSpec> tensors,
        IReadOnlyList<TensorSpec> outputs,
        IReadOnlyList<IReadOnlyList<string>> inputFiles,
        TimeSpan deadline,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(libraryPath);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputFiles);
        var request = new JsonObject
        {
            ["library_path"] = libraryPath,
            ["tensors"] = new JsonArray([.. tensors.Select(tensor => (JsonNode)JsonFields.FromTensorSpec(tensor))]),
            ["outputs"] = new JsonArray([.. outputs.Select(output => (JsonNode)JsonFields.FromTensorSpec(output))]),
            ["input_files"] = new JsonArray([.. inputFiles.Select(set => (JsonNode)new JsonArray([.. set.Select(path => JsonValue.Create(path))]))]),
        };
        LoadedLibraryPath = null;
        try
        {
            await RequestAsync("load", request, deadline, cancellationToken);
            LoadedLibraryPath = libraryPath;
            return RunnerLoadResult.Loaded;
        }
        catch (ProtocolErrorException ex) when (ex.Kind == FailureKind.LoadError.Value)
        {
            return new RunnerLoadResult(FailureKind.LoadError, ex.Message);
        }
        catch (ProcessCrashedException ex)
        {
            return new RunnerLoadResult(FailureKind.RunnerCrashed, CrashMessage(ex));
        }
        catch (ProcessTimeoutException ex)
        {
            return new RunnerLoadResult(FailureKind.Timeout, ex.Message);
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
        try
        {
            var response = await RequestAsync("run", request, deadline, cancellationToken);
            return new RunnerRunResult(FailureOf(response), JsonFields.Text(response, "message"), JsonFields.Int32Value(response, "return_code"));
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
                LoadedLibraryPath = null;
                await process.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<JsonObject> RequestAsync(string op, JsonObject? fields, TimeSpan deadline, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var process = await LiveProcessAsync();
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
            _process = JsonLinesProcess.Start(_startInfoFactory(), DisplayName, stderrSink);
            StartCount++;
        }

        return _process;
    }

    private async Task RetireAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            LoadedLibraryPath = null;
            process.Kill();
            await process.DisposeAsync();
        }
    }

    private void RequireLoaded()
    {
        if (LoadedLibraryPath is null)
        {
            throw new InvalidOperationException("No candidate library is loaded in the runner (none yet, or the runner was restarted after a crash); call LoadAsync first.");
        }
    }

    private static FailureKind? FailureOf(JsonObject response) => JsonFields.Text(response, "failure") is { } failure ? new FailureKind(failure) : null;

    private static string CrashMessage(ProcessCrashedException crash) =>
        string.IsNullOrWhiteSpace(crash.StderrTail) ? crash.Message : $"{crash.Message}\n{crash.StderrTail}";
}
