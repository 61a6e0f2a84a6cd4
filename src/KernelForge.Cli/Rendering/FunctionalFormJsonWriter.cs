using System.Text.Json;
using System.Text.Json.Nodes;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Cli.Rendering;

/// <summary>The <c>--json</c> form of <c>kforge functionalize</c>: the same facts as the table, one document.</summary>
internal static class FunctionalFormJsonWriter
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(string problem, string output, FunctionalForm form) => ToJson(problem, output, form).ToJsonString(Indented);

    public static JsonObject ToJson(string problem, string output, FunctionalForm form) => new()
    {
        ["schema_version"] = SchemaVersion,
        ["problem"] = problem,
        ["problem_hash"] = form.ProblemHash,
        ["output_path"] = output,
        ["matches"] = form.Matches,
        ["capture"] = form.Capture,
        ["torch_version"] = form.TorchVersion,
        ["nodes"] = form.Nodes,
        ["sets"] = new JsonArray([.. form.Sets.Select(set => (JsonNode)new JsonObject
        {
            ["seed"] = set.Seed,
            ["passed"] = set.Passed,
            ["max_abs_error"] = Finite(set.MaxAbsError),
            ["allowed_max_abs_error"] = Finite(set.AllowedMaxAbsError),
            ["message"] = set.Message,
        })]),
        ["warnings"] = new JsonArray([.. form.Warnings.Select(warning => JsonValue.Create(warning))]),
    };

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
