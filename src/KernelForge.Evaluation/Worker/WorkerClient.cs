using System.Diagnostics;
using System.Text.Json.Nodes;
using KernelForge.Core;
using KernelForge.Evaluation.Protocol;

namespace KernelForge.Evaluation.Worker;

/// <summary>The orchestrator's handle on the reference worker (<c>python3 -m kforge_worker</c>): typed calls over JSON lines.</summary>
/// <remarks>The worker holds the expected outputs; this client only ever sees errors and verdicts, never reference tensors.</remarks>
public sealed class WorkerClient(JsonLinesProcess process, WorkerOptions options) : IAsyncDisposable
{
    /// <summary>Starts the worker process; stderr lines go to <paramref name="stderrSink"/>.</summary>
    public static WorkerClient Start(WorkerOptions options, Action<string>? stderrSink = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var startInfo = new ProcessStartInfo(options.PythonPath) { ArgumentList = { "-m", "kforge_worker" } };
        startInfo.Environment["PYTHONPATH"] = options.WorkerSourceDirectory;
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        return new WorkerClient(JsonLinesProcess.Start(startInfo, "reference worker", stderrSink), options);
    }

    public async Task<WorkerHello> HelloAsync(CancellationToken cancellationToken = default)
    {
        var response = await process.RequestAsync("hello", null, options.RequestDeadline, cancellationToken);
        var environment = response["environment"];
        return new WorkerHello(
            JsonFields.Text(response, "worker_version") ?? "unknown",
            JsonFields.Text(environment, "gpu_name"),
            JsonFields.Text(environment, "compute_capability"),
            JsonFields.Text(environment, "driver_version"),
            JsonFields.Text(environment, "torch_version"),
            JsonFields.Text(environment, "torch_cuda_version"),
            JsonFields.Text(environment, "python_version"),
            JsonFields.Int32Value(environment, "sm_clock_mhz"),
            JsonFields.Int32Value(environment, "max_sm_clock_mhz"),
            JsonFields.Int32Value(environment, "memory_clock_mhz"),
            JsonFields.Text(environment, "hostname"));
    }

    /// <summary>Loads a problem and writes its input sets (one per seed) under <paramref name="sharedMemoryDirectory"/>.</summary>
    public async Task<LoadedProblem> LoadProblemAsync(string problemPath, IReadOnlyList<long> seeds, string sharedMemoryDirectory, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject
        {
            ["problem_path"] = problemPath,
            ["seeds"] = new JsonArray([.. seeds.Select(seed => JsonValue.Create(seed))]),
            ["shm_dir"] = sharedMemoryDirectory,
            ["device"] = options.TorchDevice is { } torchDevice ? JsonValue.Create(torchDevice) : JsonValue.Create(options.Device),
        };
        var response = await process.RequestAsync("load_problem", request, options.LoadDeadline, cancellationToken);
        var info = new ProblemInfo(
            problemPath,
            JsonFields.RequiredText(response, "name"),
            JsonFields.RequiredText(response, "problem_hash"),
            [.. JsonFields.Array(response, "tensors").Select(node => JsonFields.ToTensorSpec(node!))],
            [.. JsonFields.Array(response, "outputs").Select(node => JsonFields.ToTensorSpec(node!))],
            seeds,
            JsonFields.Int64Value(response, "bytes_moved") ?? 0,
            [.. JsonFields.Array(response, "warnings").Select(node => node!.GetValue<string>())])
        {
            Flops = JsonFields.Int64Value(response, "flops"),
            ScalarInputs = response["scalar_inputs"] is JsonArray scalars
                ? [.. scalars.Select(node => new ScalarInput(
                    JsonFields.Int64Value(node!, "position") is { } position ? checked((int)position) : throw new ProtocolErrorException("bad_response", "A scalar input has no position.", null, null),
                    node!["value"]?.ToJsonString() ?? throw new ProtocolErrorException("bad_response", "A scalar input has no value.", null, null)))]
                : [],
        };
        IReadOnlyList<IReadOnlyList<string>> inputFiles =
            [.. JsonFields.Array(response, "input_files").Select(set => (IReadOnlyList<string>)[.. set!.AsArray().Select(path => path!.GetValue<string>())])];
        return new LoadedProblem(info, inputFiles);
    }

    /// <summary>Compares the candidate's output files (one list per input set) with the float64 reference.</summary>
    public async Task<IReadOnlyList<InputSetCheck>> CheckAsync(IReadOnlyList<IReadOnlyList<string>> outputFiles, IReadOnlyList<long> seeds, PrecisionPolicy precision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputFiles);
        ArgumentNullException.ThrowIfNull(seeds);
        var request = new JsonObject
        {
            ["output_files"] = new JsonArray([.. outputFiles.Select(set => (JsonNode)new JsonArray([.. set.Select(path => JsonValue.Create(path))]))]),
            ["precision"] = precision.ToString().ToLowerInvariant(),
        };
        var response = await process.RequestAsync("check", request, options.RequestDeadline, cancellationToken);
        return [.. JsonFields.Array(response, "sets").Select(set =>
        {
            var index = JsonFields.Int32Value(set, "index") ?? 0;
            return new InputSetCheck(index, index < seeds.Count ? seeds[index] : 0, [.. JsonFields.Array(set, "outputs").Select(ToOutputCheck)], null, null);
        })];
    }

    /// <summary>Times the reference, <c>eager</c> or <c>compile</c> (torch.compile), with the shared timing protocol.</summary>
    public async Task<ReferenceTiming> TimeReferenceAsync(string mode, TimingOptions timing, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject { ["mode"] = mode, ["timing"] = JsonFields.FromTimingOptions(timing) };
        var response = await process.RequestAsync("time_reference", request, options.TimingDeadline, cancellationToken);
        return new ReferenceTiming(JsonFields.Doubles(response, "samples_us"), JsonFields.Flag(response, "l2_flushed") ?? false, JsonFields.Number(response, "setup_seconds") ?? 0);
    }

    /// <summary>Lints the loaded problem: degenerate problems (zeros or a constant pass, outputs ignore inputs or weights) invite cheating.</summary>
    public async Task<ProblemLint> LintAsync(CancellationToken cancellationToken = default)
    {
        var response = await process.RequestAsync("lint_problem", null, options.LoadDeadline, cancellationToken);
        return new ProblemLint(
            [.. JsonFields.Array(response, "findings").Select(node => new ProblemLintFinding(
                JsonFields.RequiredText(node, "code"), JsonFields.Int32Value(node, "output"), JsonFields.Text(node, "message") ?? string.Empty))],
            [.. JsonFields.Array(response, "checked").Select(node => node!.GetValue<string>())]);
    }

    /// <summary>The loaded problem's model exported by torch.export (core ATen) as graph schema v1 JSON (docs/graph-schema.md).</summary>
    /// <exception cref="ProtocolErrorException">Kind <c>not_translatable</c> when torch.export cannot capture the model; the message names the construct and line.</exception>
    public async Task<string> ExportGraphAsync(CancellationToken cancellationToken = default)
    {
        var response = await process.RequestAsync("export_graph", null, options.LoadDeadline, cancellationToken);
        return response["graph"]?.ToJsonString() ?? throw new ProtocolErrorException("bad_response", "export_graph answered without a graph.", null, null);
    }

    /// <summary>
    /// <paramref name="problemPath"/>'s model, built and drawn with <paramref name="seed"/> as <see cref="LoadProblemAsync"/>
    /// builds and draws it, exported as <see cref="ExportGraphAsync(CancellationToken)"/> exports it; without float64
    /// references, input files or a flop count, so it needs a fraction of a load's time and GPU memory. A problem loaded
    /// before stays loaded.
    /// </summary>
    /// <exception cref="ProtocolErrorException">Kind <c>not_translatable</c> when torch.export cannot capture the model; the message names the construct and line.</exception>
    public async Task<string> ExportGraphAsync(string problemPath, long seed, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject
        {
            ["problem_path"] = problemPath,
            ["seed"] = seed,
            ["device"] = options.TorchDevice is { } torchDevice ? JsonValue.Create(torchDevice) : JsonValue.Create(options.Device),
        };
        var response = await process.RequestAsync("export_graph", request, options.LoadDeadline, cancellationToken);
        return response["graph"]?.ToJsonString() ?? throw new ProtocolErrorException("bad_response", "export_graph answered without a graph.", null, null);
    }

    /// <summary>
    /// Writes the problem's functional form to <paramref name="outputPath"/> and checks it against the problem's Model
    /// on every seed (at least 3). Loads the problem itself; a problem loaded before stays loaded.
    /// </summary>
    /// <exception cref="ProtocolErrorException">Kind <c>not_translatable</c> when the graph cannot be captured; the message names the construct and line.</exception>
    public async Task<FunctionalForm> FunctionalizeAsync(string problemPath, string outputPath, IReadOnlyList<long> seeds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var request = new JsonObject
        {
            ["problem_path"] = problemPath,
            ["output_path"] = outputPath,
            ["seeds"] = new JsonArray([.. seeds.Select(seed => JsonValue.Create(seed))]),
            ["device"] = options.TorchDevice is { } torchDevice ? JsonValue.Create(torchDevice) : JsonValue.Create(options.Device),
        };
        var response = await process.RequestAsync("functionalize", request, options.FunctionalizeDeadline, cancellationToken);
        return new FunctionalForm(
            JsonFields.RequiredText(response, "output_path"),
            JsonFields.RequiredText(response, "problem_hash"),
            JsonFields.Text(response, "torch_version") ?? "unknown",
            JsonFields.Text(response, "capture") ?? "unknown",
            JsonFields.Int32Value(response, "nodes") ?? 0,
            JsonFields.Flag(response, "matches") ?? false,
            [.. JsonFields.Array(response, "sets").Select(set => new FunctionalFormCheck(
                JsonFields.Int64Value(set, "seed") ?? 0,
                JsonFields.Flag(set, "passed") ?? false,
                JsonFields.Number(set, "max_abs_error"),
                JsonFields.Number(set, "allowed_max_abs_error"),
                JsonFields.Text(set, "message")))],
            [.. JsonFields.Array(response, "warnings").Select(node => node!.GetValue<string>())]);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();

    internal static OutputCheck ToOutputCheck(JsonNode? node)
    {
        var failure = JsonFields.Text(node, "failure");
        return new OutputCheck(
            JsonFields.Int32Value(node, "index") ?? 0,
            JsonFields.Flag(node, "passed") ?? false,
            failure is null ? null : new FailureKind(failure),
            JsonFields.Text(node, "message"),
            JsonFields.Number(node, "max_abs_error"),
            JsonFields.Number(node, "max_rel_error"),
            JsonFields.Number(node, "rel_l2_error"),
            JsonFields.Number(node, "reference_float32_max_abs_error"),
            JsonFields.Number(node, "allowed_max_abs_error"),
            JsonFields.Int64Value(node, "poisoned_elements") ?? 0,
            JsonFields.Int64Value(node, "non_finite_elements") ?? 0,
            JsonFields.Int64Value(node, "element_count") ?? 0);
    }
}
