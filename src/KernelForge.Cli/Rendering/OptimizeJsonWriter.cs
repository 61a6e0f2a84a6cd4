using System.Text.Json;
using System.Text.Json.Nodes;
using KernelForge.Search.Tuning;
using KernelForge.Translation.Cuda;

namespace KernelForge.Cli.Rendering;

/// <summary>The <c>--json</c> form of <c>kforge optimize</c>: the files written, the tuning run, and both evaluations in verify's shape.</summary>
internal static class OptimizeJsonWriter
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(OptimizeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["schema_version"] = SchemaVersion,
            ["verdict"] = "accepted",
            ["problem_path"] = result.ProblemPath,
            ["precision"] = KebabCaseName(result.Precision.ToString()),
            ["library_policy"] = KebabCaseName(result.LibraryPolicy.ToString()),
            ["files"] = new JsonObject
            {
                ["out_dir"] = result.OutDirectory,
                ["kernel"] = result.KernelPath,
                ["extension"] = result.ExtensionPath,
                ["report"] = result.ReportPath,
            },
            ["tuning"] = Tuning(result.Tuning),
            ["libraries_used"] = new JsonArray([.. result.LibrariesUsed.Select(library => JsonValue.Create(library))]),
            ["lint_warnings"] = new JsonArray([.. result.LintWarnings.Select(warning => JsonValue.Create(warning))]),
            ["kernel"] = VerifyJsonWriter.ToJson(result.Best!.Evaluation),
            ["export"] = result.Exported is { } exported ? VerifyJsonWriter.ToJson(exported) : null,
            ["export_error"] = result.ExportError,
        }.ToJsonString(Indented);
    }

    public static string WriteNoneAccepted(TuningResult tuning) => new JsonObject
    {
        ["schema_version"] = SchemaVersion,
        ["verdict"] = "rejected",
        ["tuning"] = Tuning(tuning),
        ["evaluations"] = new JsonArray([.. tuning.Evaluated.Select(variant => (JsonNode)VerifyJsonWriter.ToJson(variant.Evaluation))]),
    }.ToJsonString(Indented);

    private static JsonObject Tuning(TuningResult tuning) => new()
    {
        ["evaluated"] = tuning.Evaluated.Count,
        ["accepted"] = tuning.AcceptedCount,
        ["duplicates_skipped"] = tuning.DuplicatesSkipped,
        ["stop_reason"] = KebabCaseName(tuning.StopReason.ToString()),
        ["elapsed_seconds"] = tuning.Elapsed.TotalSeconds,
        ["best_median_us"] = tuning.Best?.MedianMicroseconds,
        ["best_schedules"] = tuning.Best is { } best ? Schedules(best.Schedules) : null,
        ["variants"] = new JsonArray([.. tuning.Evaluated.Select(variant => (JsonNode)new JsonObject
        {
            ["candidate_id"] = variant.Evaluation.Candidate.Id,
            ["schedules"] = Schedules(variant.Schedules),
            ["verdict"] = variant.Evaluation.Accepted ? "accepted" : "rejected",
            ["failure_kind"] = variant.Evaluation.Failure?.Value,
            ["median_us"] = variant.MedianMicroseconds,
        })]),
    };

    private static JsonObject Schedules(IReadOnlyDictionary<KernelKind, Schedule> schedules) =>
        new(schedules.OrderBy(pair => pair.Key).Select(pair => KeyValuePair.Create(KebabCaseName(pair.Key.ToString()), (JsonNode?)new JsonObject
        {
            ["block_size"] = pair.Value.BlockSize,
            ["vector_width"] = pair.Value.VectorWidth,
            ["items_per_thread"] = pair.Value.ItemsPerThread,
            ["lowering"] = KebabCaseName(pair.Value.Lowering.ToString()),
            ["math"] = KebabCaseName(pair.Value.Math.ToString()),
        })));

    private static string KebabCaseName(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
