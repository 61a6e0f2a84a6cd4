using System.Text.Json.Nodes;
using KernelForge.Core;

namespace KernelForge.Evaluation.Protocol;

/// <summary>Typed reads of protocol fields, tolerant of absent and null values ("not reported").</summary>
public static class JsonFields
{
    public static string? Text(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string RequiredText(JsonNode? node, string name) =>
        Text(node, name) ?? throw new ProtocolErrorException("bad_response", $"Response field '{name}' is missing.", null, null);

    public static int? Int32Value(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<double>(out var number) ? (int)number : null;

    public static long? Int64Value(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<double>(out var number) ? (long)number : null;

    public static double? Number(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    public static bool? Flag(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static JsonArray Array(JsonNode? node, string name) => node?[name] as JsonArray ?? [];

    public static IReadOnlyList<double> Doubles(JsonNode? node, string name) =>
        [.. Array(node, name).Select(item => item!.GetValue<double>())];

    /// <summary>The timing protocol as both child processes read it (snake_case, units in names).</summary>
    public static JsonObject FromTimingOptions(TimingOptions options) => new()
    {
        ["warmup_calls"] = options.WarmupCalls,
        ["min_samples"] = options.MinSamples,
        ["max_samples"] = options.MaxSamples,
        ["target_relative_error"] = options.TargetRelativeError,
        ["max_wall_ms"] = options.MaxWallMilliseconds,
        ["flush_l2"] = options.FlushL2,
        ["l2_flush_factor"] = options.L2FlushFactor,
    };

    /// <summary>A tensor description as the protocol spells it.</summary>
    public static JsonObject FromTensorSpec(TensorSpec tensor) => new()
    {
        ["name"] = tensor.Name,
        ["shape"] = new JsonArray([.. tensor.Shape.Select(extent => JsonValue.Create(extent))]),
        ["dtype"] = tensor.DataType.ToProtocolName(),
        ["role"] = tensor.Role.ToString().ToLowerInvariant(),
    };

    public static TensorSpec ToTensorSpec(JsonNode node)
    {
        var dtypeName = RequiredText(node, "dtype");
        if (!DataTypes.TryParse(dtypeName, out var dataType))
        {
            throw new ProtocolErrorException("unsupported_dtype", $"Tensor '{Text(node, "name")}' has dtype '{dtypeName}', which this build does not support.", null, null);
        }

        var role = Text(node, "role") switch
        {
            "parameter" => TensorRole.Parameter,
            "buffer" => TensorRole.Buffer,
            "output" => TensorRole.Output,
            _ => TensorRole.Input,
        };
        return new TensorSpec(RequiredText(node, "name"), [.. Array(node, "shape").Select(e => (long)e!.GetValue<double>())], dataType, role);
    }
}
