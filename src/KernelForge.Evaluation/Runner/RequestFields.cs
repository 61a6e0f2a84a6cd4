using System.Globalization;
using System.Text.Json.Nodes;
using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>Typed reads of runner request fields; a missing or mistyped field is a <c>bad_request</c> that names it.</summary>
internal static class RequestFields
{
    public static string RequiredString(JsonObject request, string name) =>
        request[name] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw Bad($"request field '{name}' is missing or not a string");

    public static int RequiredInt32(JsonObject request, string name) =>
        OptionalInt32(request, name) ?? throw Bad($"request field '{name}' is missing or not an integer");

    public static long RequiredInt64(JsonObject request, string name) =>
        OptionalInt64(request, name) ?? throw Bad($"request field '{name}' is missing or not an integer");

    public static int? OptionalInt32(JsonObject request, string name) =>
        OptionalInt64(request, name) is { } number
            ? number is >= int.MinValue and <= int.MaxValue ? (int)number : throw Bad($"request field '{name}' is out of range")
            : null;

    public static long? OptionalInt64(JsonObject request, string name) => Integer(request[name], name);

    public static bool? OptionalBool(JsonObject request, string name) => request[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        _ => throw new RunnerRequestException(RunnerRequestException.BadRequest, $"'{name}' must be true or false."),
    };

    public static JsonArray RequiredArray(JsonObject request, string name) =>
        request[name] as JsonArray ?? throw Bad($"request field '{name}' is missing or not an array");

    public static IReadOnlyList<string> Strings(JsonArray array, string what) =>
        [.. array.Select((item, i) => item is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw Bad($"{what}[{i.ToString(CultureInfo.InvariantCulture)}] is not a string"))];

    /// <summary>A tensor as the protocol describes it: <c>{"name","shape","dtype","role"}</c>.</summary>
    public static TensorSpec TensorSpec(JsonNode? node, string what)
    {
        if (node is not JsonObject tensor)
        {
            throw Bad($"{what} is not an object");
        }

        var name = RequiredString(tensor, "name");
        var dtype = RequiredString(tensor, "dtype");
        if (!DataTypes.TryParse(dtype, out var dataType))
        {
            throw Bad($"{what} '{name}' has dtype '{dtype}', which this runner does not support");
        }

        var shape = RequiredArray(tensor, "shape").Select((extent, i) => Integer(extent, $"{what}.shape[{i.ToString(CultureInfo.InvariantCulture)}]")
            ?? throw Bad($"{what} '{name}' has a shape entry that is not an integer")).ToList();
        var roleName = tensor["role"] is JsonValue roleValue && roleValue.TryGetValue<string>(out var text) ? text : null;
        var role = roleName switch
        {
            null or "input" => TensorRole.Input,
            "parameter" => TensorRole.Parameter,
            "buffer" => TensorRole.Buffer,
            "output" => TensorRole.Output,
            var other => throw Bad($"{what} '{name}' has role '{other}'; expected input, parameter, buffer or output"),
        };
        return new TensorSpec(name, shape, dataType, role);
    }

    /// <summary>The timing protocol (snake_case, as docs/protocol.md); absent fields take <see cref="TimingOptions.Default"/>.</summary>
    public static TimingOptions Timing(JsonNode? node)
    {
        if (node is not JsonObject timing)
        {
            throw Bad("request field 'timing' is missing or not an object");
        }

        var defaults = TimingOptions.Default;
        var options = new TimingOptions(
            OptionalInt32(timing, "warmup_calls") ?? defaults.WarmupCalls,
            OptionalInt32(timing, "min_samples") ?? defaults.MinSamples,
            OptionalInt32(timing, "max_samples") ?? defaults.MaxSamples,
            Number(timing, "target_relative_error") ?? defaults.TargetRelativeError,
            Number(timing, "max_wall_ms") ?? defaults.MaxWallMilliseconds,
            Flag(timing, "flush_l2") ?? defaults.FlushL2,
            Number(timing, "l2_flush_factor") ?? defaults.L2FlushFactor);
        if (options.WarmupCalls < 0 || options.MinSamples < 1 || options.MaxSamples < options.MinSamples
            || !(options.TargetRelativeError >= 0) || !(options.MaxWallMilliseconds > 0) || !(options.L2FlushFactor > 0))
        {
            throw Bad("timing needs warmup_calls >= 0, 1 <= min_samples <= max_samples, target_relative_error >= 0, max_wall_ms > 0 and l2_flush_factor > 0");
        }

        return options;
    }

    private static long? Integer(JsonNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            if (value.TryGetValue<long>(out var integer))
            {
                return integer;
            }

            if (value.TryGetValue<int>(out var small))
            {
                return small;
            }
        }

        throw Bad($"'{name}' is not an integer");
    }

    private static double? Number(JsonObject request, string name) => request[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<double>(out var number) => number,
        _ => throw Bad($"request field '{name}' is not a number"),
    };

    private static bool? Flag(JsonObject request, string name) => request[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        _ => throw Bad($"request field '{name}' is not true or false"),
    };

    private static RunnerRequestException Bad(string message) => new(RunnerRequestException.BadRequest, message + ".");
}
