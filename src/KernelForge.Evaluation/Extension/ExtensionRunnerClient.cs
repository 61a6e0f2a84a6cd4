using System.Diagnostics;
using System.Text.Json.Nodes;
using KernelForge.Core;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Extension;

/// <summary>
/// The orchestrator's handle on the extension runner (<c>python3 -m kforge_worker.extension</c>), which builds and runs
/// torch-extension candidates (KernelBench <c>ModelNew</c> files, pybind <c>.cu</c> files) on the worker's input files.
/// </summary>
/// <remarks>
/// Mirrors <see cref="AbiRunnerClient"/>: a candidate that crashes or hangs the runner is an expected failure
/// (<see cref="FailureKind.RunnerCrashed"/>, <see cref="FailureKind.Timeout"/> values) and the next call starts a new
/// process; bad requests and a missing torch or GPU are exceptions (<see cref="ProtocolErrorException"/>).
/// Every <see cref="LoadAsync"/> after the first gets a fresh process: Python cannot unload an extension module, and a
/// ModelNew file runs arbitrary code in the runner, so no candidate may share a process with the one before it.
/// Calls are serialized. The runner never receives expected outputs; the worker checks the files it writes.
/// </remarks>
public sealed class ExtensionRunnerClient(Func<ProcessStartInfo> startInfoFactory, Action<string>? stderrSink = null) : ICandidateRunner, IAsyncDisposable
{
    public const string DisplayName = "extension runner";

    private readonly Func<ProcessStartInfo> _startInfoFactory = startInfoFactory ?? throw new ArgumentNullException(nameof(startInfoFactory));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private JsonLinesProcess? _process;
    private bool _processHasLoaded;
    private bool _disposed;

    /// <summary>How many runner processes this client has started (restarts after a crash and per-candidate starts count).</summary>
    public int StartCount { get; private set; }

    /// <summary>The candidate the current process has built; null before a load, after a failed one, and after a restart.</summary>
    public string? LoadedCandidatePath { get; private set; }

    /// <summary>A client that starts the runner with the worker's interpreter and package folder (as <see cref="WorkerClient.Start"/> does).</summary>
    public static ExtensionRunnerClient Create(WorkerOptions worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return new ExtensionRunnerClient(() => StartInfo(worker.PythonPath, worker.WorkerSourceDirectory), worker.StderrSink);
    }

    /// <summary>How to start one runner process: <c>python -m kforge_worker.extension</c> with the package on PYTHONPATH.</summary>
    public static ProcessStartInfo StartInfo(string pythonPath, string workerSourceDirectory)
    {
        var startInfo = new ProcessStartInfo(pythonPath) { ArgumentList = { "-m", "kforge_worker.extension" } };
        startInfo.Environment["PYTHONPATH"] = workerSourceDirectory;
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        return startInfo;
    }

    /// <summary>The runner's view of torch and the GPU.</summary>
    public async Task<ExtensionRunnerHello> HelloAsync(TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync("hello", null, deadline, cancellationToken);
        var environment = response["environment"];
        return new ExtensionRunnerHello(
            JsonFields.Text(response, "worker_version") ?? "unknown",
            JsonFields.Text(environment, "gpu_name"),
            JsonFields.Text(environment, "compute_capability"),
            JsonFields.Text(environment, "torch_version"),
            JsonFields.Text(environment, "torch_cuda_version"),
            JsonFields.Text(environment, "python_version"));
    }

    /// <summary>
    /// Builds the candidate at <paramref name="candidatePath"/> in a fresh runner process. <paramref name="tensors"/>,
    /// <paramref name="outputs"/> and <paramref name="inputFiles"/> are the worker's <c>load_problem</c> answer (one
    /// list of <c>.npy</c> paths per input set, one per tensor); <paramref name="seed"/> is the seed the worker built
    /// its Model with (the first of the session's seeds), so that ModelNew draws the same initial weights.
    /// </summary>
    /// <remarks>Torch's build products go to <paramref name="buildDirectory"/>; one folder per candidate hash lets an unchanged candidate reuse them.</remarks>
    public async Task<ExtensionLoadResult> LoadAsync(
        string candidatePath,
        ExtensionFormat format,
        string problemPath,
        long seed,
        IReadOnlyList<TensorSpec> tensors,
        IReadOnlyList<TensorSpec> outputs,
        IReadOnlyList<IReadOnlyList<string>> inputFiles,
        string buildDirectory,
        int device,
        TimeSpan deadline,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidatePath);
        ArgumentNullException.ThrowIfNull(problemPath);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputFiles);
        ArgumentNullException.ThrowIfNull(buildDirectory);
        var request = new JsonObject
        {
            ["candidate_path"] = candidatePath,
            ["format"] = format.ToProtocolName(),
            ["problem_path"] = problemPath,
            ["seed"] = seed,
            ["tensors"] = new JsonArray([.. tensors.Select(tensor => (JsonNode)JsonFields.FromTensorSpec(tensor))]),
            ["outputs"] = new JsonArray([.. outputs.Select(output => (JsonNode)JsonFields.FromTensorSpec(output))]),
            ["input_files"] = new JsonArray([.. inputFiles.Select(set => (JsonNode)new JsonArray([.. set.Select(path => JsonValue.Create(path))]))]),
            ["build_dir"] = buildDirectory,
            ["device"] = device,
        };
        try
        {
            var response = await RequestAsync("load", request, deadline, cancellationToken, freshProcess: true);
            LoadedCandidatePath = candidatePath;
            return ExtensionLoadResult.Built(
                JsonFields.Number(response, "build_seconds"),
                [.. JsonFields.Array(response, "warnings").Select(node => node!.GetValue<string>())]);
        }
        catch (ProtocolErrorException ex) when (ex.Kind == FailureKind.CompileError.Value)
        {
            return ExtensionLoadResult.Failed(FailureKind.CompileError, ex.Message);
        }
        catch (ProtocolErrorException ex) when (ex.Kind == FailureKind.LoadError.Value)
        {
            return ExtensionLoadResult.Failed(FailureKind.LoadError, ex.Message);
        }
        catch (ProcessCrashedException ex)
        {
            return ExtensionLoadResult.Failed(FailureKind.RunnerCrashed, CrashMessage(ex));
        }
        catch (ProcessTimeoutException ex)
        {
            return ExtensionLoadResult.Failed(FailureKind.Timeout, ex.Message + " Building a torch extension can take minutes: raise the load deadline if the build itself is slow.");
        }
    }

    /// <summary>Runs the built candidate once on input set <paramref name="inputSet"/>; on success its outputs are in <paramref name="outputPaths"/>.</summary>
    /// <remarks>The failures are <c>runtime_error</c>, <c>input_modified</c>, <c>wrong_result</c> (outputs not tensors of the problem's shapes and dtypes), or <c>runner_crashed</c> / <c>timeout</c>. <see cref="RunnerRunResult.ReturnCode"/> is always null.</remarks>
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
            return new RunnerRunResult(FailureOf(response), JsonFields.Text(response, "message"), ReturnCode: null);
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

    /// <summary>Times the built candidate with the shared timing protocol (the worker's loop); returns the raw samples in µs.</summary>
    /// <remarks><see cref="RunnerTimeResult.WallMilliseconds"/> is null: the runner does not report the loop's wall time.</remarks>
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
                LoadedCandidatePath = null;
                await process.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<JsonObject> RequestAsync(string op, JsonObject? fields, TimeSpan deadline, CancellationToken cancellationToken, bool freshProcess = false)
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
                LoadedCandidatePath = null;
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

    /// <summary>The current process, or a fresh one when there is none or it has exited. Call under the gate.</summary>
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
            LoadedCandidatePath = null;
            process.Kill();
            await process.DisposeAsync();
        }
    }

    private void RequireLoaded()
    {
        if (LoadedCandidatePath is null)
        {
            throw new InvalidOperationException("No candidate is built in the extension runner (none yet, the last load failed, or the runner was restarted after a crash); call LoadAsync first.");
        }
    }

    private static FailureKind? FailureOf(JsonObject response) => JsonFields.Text(response, "failure") is { } failure ? new FailureKind(failure) : null;

    private static string CrashMessage(ProcessCrashedException crash) =>
        string.IsNullOrWhiteSpace(crash.StderrTail) ? crash.Message : $"{crash.Message}\n{crash.StderrTail}";
}
