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
public sealed class ExtensionRunnerClient(Func<ProcessStartInfo> startInfoFactory, Action<string>? stderrSink = null)
    : CandidateRunnerClient(startInfoFactory, DisplayName, stderrSink)
{
    public const string DisplayName = "extension runner";

    /// <summary>The input set that holds the last load's fresh inputs; null when it had none.</summary>
    private int? _freshInputSet;

    /// <summary>The candidate the current process has built; null before a load, after a failed one, and after a restart.</summary>
    public string? LoadedCandidatePath => LoadedPath;

    protected override string NothingLoadedMessage =>
        "No candidate is built in the extension runner (none yet, the last load failed, or the runner was restarted after a crash); call LoadAsync first.";

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
    /// <paramref name="freshInputFiles"/>, when given, is the fresh-memory set: sent as one more input set, index
    /// <c>inputFiles.Count</c>, whose run is not profiled (see <see cref="AddRunFields"/>).
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
        IReadOnlyList<string>? freshInputFiles = null,
        IReadOnlyList<ScalarInput>? scalarInputs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidatePath);
        ArgumentNullException.ThrowIfNull(problemPath);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputFiles);
        ArgumentNullException.ThrowIfNull(buildDirectory);
        _freshInputSet = freshInputFiles is null ? null : inputFiles.Count;
        IReadOnlyList<IReadOnlyList<string>> sets = freshInputFiles is null ? inputFiles : [.. inputFiles, freshInputFiles];
        var request = new JsonObject
        {
            ["candidate_path"] = candidatePath,
            ["format"] = format.ToProtocolName(),
            ["problem_path"] = problemPath,
            ["seed"] = seed,
            ["tensors"] = new JsonArray([.. tensors.Select(tensor => (JsonNode)JsonFields.FromTensorSpec(tensor))]),
            ["outputs"] = new JsonArray([.. outputs.Select(output => (JsonNode)JsonFields.FromTensorSpec(output))]),
            ["input_files"] = new JsonArray([.. sets.Select(set => (JsonNode)new JsonArray([.. set.Select(path => JsonValue.Create(path))]))]),
            ["build_dir"] = buildDirectory,
            ["device"] = device,
            ["scalar_inputs"] = new JsonArray([.. (scalarInputs ?? []).Select(scalar => (JsonNode)new JsonObject
            {
                ["position"] = scalar.Position,
                ["value"] = JsonNode.Parse(scalar.Value),
            })]),
        };
        try
        {
            var response = await RequestAsync("load", request, deadline, cancellationToken, freshProcess: true);
            LoadedPath = candidatePath;
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

    /// <summary>
    /// Asks the runner to count the kernel launches of every checked call (<c>count_launches</c>, with torch's profiler)
    /// except the fresh-memory one, whose <c>call_us</c> is compared with the timed median and so must not carry the
    /// profiler's overhead.
    /// </summary>
    /// <remarks>
    /// The client decides by input set rather than through a parameter of <see cref="ICandidateRunner.RunAsync"/>: it
    /// is told at load time which set is the fresh one, as the ABI runner is (<c>fresh_input_files</c>), and the ABI
    /// runner counts on every ordinary run and times its fresh run without being asked, so a flag on the shared
    /// interface would mean nothing to it.
    /// </remarks>
    protected override void AddRunFields(int inputSet, JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request["count_launches"] = inputSet != _freshInputSet;
    }
}
