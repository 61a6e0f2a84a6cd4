using System.Text.Json;
using System.Text.Json.Nodes;
using KernelForge.Core;

namespace KernelForge.Cli.Rendering;

/// <summary>The <c>--json</c> form of <c>kforge verify</c>: the same facts as the table, one document, units in every name.</summary>
internal static class VerifyJsonWriter
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(EvaluationResult result) => ToJson(result).ToJsonString(Indented);

    public static JsonObject ToJson(EvaluationResult result) => new()
    {
        ["schema_version"] = SchemaVersion,
        ["verdict"] = Verdict(result),
        ["failure_kind"] = result.Failure?.Value,
        ["failure_message"] = result.FailureMessage,
        ["reached_stage"] = result.ReachedStage.ToString().ToLowerInvariant(),
        ["precision"] = result.Precision.ToString().ToLowerInvariant(),
        ["candidate"] = new JsonObject
        {
            ["id"] = result.Candidate.Id,
            ["format"] = result.Candidate.Format == CandidateFormat.Abi ? "abi" : "torch_extension",
            ["origin"] = result.Candidate.Origin,
        },
        ["problem"] = result.Problem is { } problem ? Problem(problem) : null,
        ["compile"] = result.Compile is { } compile ? Compile(compile) : null,
        ["checks"] = new JsonArray([.. result.Checks.Select(Check)]),
        ["timing"] = new JsonObject
        {
            ["candidate"] = Timing(result.CandidateTiming),
            ["eager"] = Timing(result.EagerTiming),
            ["compiled"] = Timing(result.CompiledTiming),
            ["speedup_over_eager"] = Finite(result.SpeedupOverEager),
            ["speedup_over_compiled"] = Finite(result.SpeedupOverCompiled),
            ["memory_floor_us"] = Finite(result.MemoryFloorMicroseconds),
            ["fraction_of_floor"] = Finite(result.FractionOfFloor),
            ["compute_floor_us"] = Finite(result.ComputeFloorMicroseconds),
        },
        ["environment"] = result.Environment is { } environment ? Environment(environment) : null,
        ["warnings"] = new JsonArray([.. result.Warnings.Select(w => JsonValue.Create(w))]),
        ["explanation"] = new JsonArray([.. result.Explanation.Select(record => (JsonNode)new JsonObject
        {
            ["check"] = record.Check,
            ["passed"] = record.Passed,
            ["saw"] = record.Saw,
        })]),
        ["finished_at"] = result.FinishedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>accepted (checked and timed), correct (checked, not timed: --check-only) or rejected.</summary>
    public static string Verdict(EvaluationResult result) => result.Accepted ? "accepted" : result.Correct ? "correct" : "rejected";

    private static JsonObject Problem(ProblemInfo problem) => new()
    {
        ["name"] = problem.Name,
        ["path"] = problem.Path,
        ["hash"] = problem.Hash,
        ["bytes_moved"] = problem.BytesMoved,
        ["flops"] = problem.Flops,
        ["seeds"] = new JsonArray([.. problem.Seeds.Select(s => JsonValue.Create(s))]),
        ["tensors"] = new JsonArray([.. problem.Tensors.Select(Tensor)]),
        ["outputs"] = new JsonArray([.. problem.Outputs.Select(Tensor)]),
    };

    private static JsonObject Tensor(TensorSpec tensor) => new()
    {
        ["name"] = tensor.Name,
        ["shape"] = new JsonArray([.. tensor.Shape.Select(e => JsonValue.Create(e))]),
        ["dtype"] = tensor.DataType.ToProtocolName(),
        ["role"] = tensor.Role.ToString().ToLowerInvariant(),
    };

    private static JsonObject Compile(CompileResult compile) => new()
    {
        ["succeeded"] = compile.Succeeded,
        ["seconds"] = compile.Seconds,
        ["cache_hit"] = compile.CacheHit,
        ["failure_kind"] = compile.Failure?.Value,
        ["kernels"] = new JsonArray([.. compile.Kernels.Select(k => (JsonNode)new JsonObject
        {
            ["name"] = k.Name,
            ["registers"] = k.Registers,
            ["shared_mem_bytes"] = k.SharedMemoryBytes,
            ["stack_frame_bytes"] = k.StackFrameBytes,
            ["spill_store_bytes"] = k.SpillStoreBytes,
            ["spill_load_bytes"] = k.SpillLoadBytes,
        })]),
        ["log"] = compile.Succeeded ? null : compile.Log,
    };

    private static JsonObject Check(InputSetCheck set) => new()
    {
        ["input_set"] = set.InputSetIndex,
        ["seed"] = set.Seed,
        ["passed"] = set.Passed,
        ["harness_failure"] = set.HarnessFailure?.Value,
        ["harness_message"] = set.HarnessMessage,
        ["outputs"] = new JsonArray([.. set.Outputs.Select(o => (JsonNode)new JsonObject
        {
            ["index"] = o.OutputIndex,
            ["passed"] = o.Passed,
            ["failure"] = o.Failure?.Value,
            ["message"] = o.Message,
            ["max_abs_error"] = Finite(o.MaxAbsError),
            ["max_rel_error"] = Finite(o.MaxRelError),
            ["rel_l2_error"] = Finite(o.RelativeL2Error),
            ["reference_float32_max_abs_error"] = Finite(o.ReferenceFloat32MaxAbsError),
            ["allowed_max_abs_error"] = Finite(o.AllowedMaxAbsError),
            ["poisoned_elements"] = o.PoisonedElements,
            ["non_finite_elements"] = o.NonFiniteElements,
            ["element_count"] = o.ElementCount,
        })]),
    };

    private static JsonObject? Timing(TimingSummary? timing) => timing is null ? null : new JsonObject
    {
        ["median_us"] = timing.MedianMicroseconds,
        ["iqr_us"] = timing.InterquartileRangeMicroseconds,
        ["q1_us"] = timing.LowerQuartileMicroseconds,
        ["q3_us"] = timing.UpperQuartileMicroseconds,
        ["min_us"] = timing.MinMicroseconds,
        ["mean_us"] = timing.MeanMicroseconds,
        ["stddev_us"] = timing.StandardDeviationMicroseconds,
        ["sample_count"] = timing.SampleCount,
        ["l2_flushed"] = timing.L2Flushed,
        ["samples_us"] = new JsonArray([.. timing.SamplesMicroseconds.Select(s => JsonValue.Create(s))]),
    };

    private static JsonObject Environment(EnvironmentInfo e) => new()
    {
        ["gpu_name"] = e.GpuName,
        ["compute_capability"] = e.ComputeCapability,
        ["driver_version"] = e.DriverVersion,
        ["cuda_runtime_version"] = e.CudaRuntimeVersion,
        ["nvcc_version"] = e.NvccVersion,
        ["torch_version"] = e.TorchVersion,
        ["torch_cuda_version"] = e.TorchCudaVersion,
        ["python_version"] = e.PythonVersion,
        ["worker_version"] = e.WorkerVersion,
        ["sm_clock_mhz"] = e.SmClockMegahertz,
        ["max_sm_clock_mhz"] = e.MaxSmClockMegahertz,
        ["memory_clock_mhz"] = e.MemoryClockMegahertz,
        ["l2_cache_bytes"] = e.L2CacheBytes,
        ["multiprocessor_count"] = e.MultiprocessorCount,
        ["measured_peak_bandwidth_bytes_per_second"] = Finite(e.MeasuredPeakBandwidthBytesPerSecond),
        ["datasheet_peak_bandwidth_bytes_per_second"] = Finite(e.DatasheetPeakBandwidthBytesPerSecond),
        ["empty_kernel_us"] = Finite(e.EmptyKernelMicroseconds),
        ["host_name"] = e.HostName,
    };

    // JSON has no NaN or infinity; a non-finite number is reported as null ("not measured").
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
