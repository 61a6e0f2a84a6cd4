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
/// A candidate that crashes or hangs the runner is an expected failure: <see cref="LoadAsync"/>, <see cref="CandidateRunnerClient.RunAsync"/>
/// and <see cref="CandidateRunnerClient.TimeAsync"/> report it as <see cref="FailureKind.RunnerCrashed"/> or <see cref="FailureKind.Timeout"/>
/// values, and the next call starts a new process (which has no library loaded: call <see cref="LoadAsync"/> again).
/// Infrastructure faults (bad requests, no GPU) are exceptions. Calls are serialized.
/// </remarks>
public sealed class AbiRunnerClient(Func<ProcessStartInfo> startInfoFactory, Action<string>? stderrSink = null)
    : CandidateRunnerClient(startInfoFactory, DisplayName, stderrSink)
{
    public const string DisplayName = "ABI runner";

    /// <summary>The library the current process holds; null before a load and after a restart.</summary>
    public string? LoadedLibraryPath => LoadedPath;

    protected override string NothingLoadedMessage =>
        "No candidate library is loaded in the runner (none yet, or the runner was restarted after a crash); call LoadAsync first.";

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
    /// <c>.npy</c> paths per input set, one path per tensor of <paramref name="tensors"/>, in order;
    /// <paramref name="freshInputFiles"/>, when given, one more set kept on the host for the fresh-memory run.
    /// <paramref name="cublas"/>: hand the candidate a cuBLAS handle bound to the runner's stream as <c>ctx->cublas</c>
    /// (only for a candidate that calls cuBLAS under <c>allow-libraries</c>; NULL otherwise, as the ABI says).
    /// <paramref name="cudnn"/>: likewise a cuDNN handle as <c>ctx->cudnn</c>, for a candidate that calls cuDNN; the runner
    /// leaves it NULL, with a warning, when the candidate links no cuDNN (none was found on this host).
    /// </summary>
    public async Task<RunnerLoadResult> LoadAsync(
        string libraryPath,
        IReadOnlyList<TensorSpec> tensors,
        IReadOnlyList<TensorSpec> outputs,
        IReadOnlyList<IReadOnlyList<string>> inputFiles,
        TimeSpan deadline,
        IReadOnlyList<string>? freshInputFiles = null,
        bool cublas = false,
        bool cudnn = false,
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
        if (freshInputFiles is not null)
        {
            request["fresh_input_files"] = new JsonArray([.. freshInputFiles.Select(path => JsonValue.Create(path))]);
        }

        if (cublas)
        {
            request["cublas"] = true;
        }

        if (cudnn)
        {
            request["cudnn"] = true;
        }

        LoadedPath = null;
        try
        {
            await RequestAsync("load", request, deadline, cancellationToken);
            LoadedPath = libraryPath;
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

    /// <summary>
    /// The fresh-memory run: the load's fresh inputs written into input set <paramref name="inputSet"/>'s buffers, one
    /// checked call, timed with events (<see cref="RunnerRunResult.CallMicroseconds"/>), then the set's own data put back.
    /// </summary>
    public async Task<RunnerRunResult> RunFreshAsync(int inputSet, IReadOnlyList<string> outputPaths, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputPaths);
        RequireLoaded();
        return await SendRunAsync(new JsonObject
        {
            ["input_set"] = inputSet,
            ["fresh"] = true,
            ["output_paths"] = new JsonArray([.. outputPaths.Select(path => JsonValue.Create(path))]),
        }, deadline, cancellationToken);
    }
}
