using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using KernelForge.Translation.Diagnostics;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Reads graph JSON (schema v1) into an <see cref="ExportedGraph"/>; malformed input becomes diagnostics, never exceptions.</summary>
/// <remarks>Unknown fields are ignored, so a newer worker may add fields without breaking this reader.</remarks>
public static class GraphJsonParser
{
    public const int SupportedSchemaVersion = 1;

    /// <summary>The graph, or null with at least one error in <paramref name="diagnostics"/>.</summary>
    public static ExportedGraph? Parse(string json, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(diagnostics);
        try
        {
            using var document = JsonDocument.Parse(json);
            return ReadGraph(document.RootElement, diagnostics);
        }
        catch (JsonException ex)
        {
            diagnostics.Error(null, $"the graph is not valid JSON ({ex.Message}); export it again with the worker's export_graph.");
            return null;
        }
        catch (FormatException ex)
        {
            diagnostics.Error(null, $"the graph does not follow schema v1: {ex.Message} (see docs/graph-schema.md).");
            return null;
        }
    }

    private static ExportedGraph? ReadGraph(JsonElement root, DiagnosticBag diagnostics)
    {
        var version = Required(root, "schema_version", JsonValueKind.Number).GetInt32();
        if (version != SupportedSchemaVersion)
        {
            diagnostics.Error(null, Invariant($"graph schema version {version} is not supported; this translator reads version {SupportedSchemaVersion}. Update KernelForge or the worker so they match."));
            return null;
        }

        var inputs = Required(root, "inputs", JsonValueKind.Array).EnumerateArray().Select(ReadInput).ToImmutableArray();
        var nodes = Required(root, "nodes", JsonValueKind.Array).EnumerateArray().Select(ReadNode).ToImmutableArray();
        var outputs = Required(root, "outputs", JsonValueKind.Array).EnumerateArray().Select(o => Text(o, "outputs[]")).ToImmutableArray();
        return new ExportedGraph(version, inputs, nodes, outputs);
    }

    private static ExportedInput ReadInput(JsonElement input) => new(
        Text(Required(input, "name", JsonValueKind.String), "name"),
        ReadShape(Required(input, "shape", JsonValueKind.Array)),
        Text(Required(input, "dtype", JsonValueKind.String), "dtype"),
        Text(Required(input, "role", JsonValueKind.String), "role"));

    private static ExportedNode ReadNode(JsonElement node)
    {
        var name = Text(Required(node, "name", JsonValueKind.String), "name");
        var target = Text(Required(node, "target", JsonValueKind.String), "target");
        var args = node.TryGetProperty("args", out _) ? Required(node, "args", JsonValueKind.Array).EnumerateArray().Select(ReadArgument).ToImmutableArray() : [];
        var kwargs = node.TryGetProperty("kwargs", out var k) && k.ValueKind == JsonValueKind.Object
            ? k.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, ReadArgument(p.Value))).ToImmutableArray()
            : [];

        var shape = node.TryGetProperty("shape", out var s) ? s : default;
        var dtype = node.TryGetProperty("dtype", out var d) ? d : default;
        if (dtype.ValueKind == JsonValueKind.Array)
        {
            // A tuple result: one shape and one dtype per element (null for non-tensor elements).
            var shapes = shape.ValueKind == JsonValueKind.Array ? shape.EnumerateArray().ToList() : [];
            var elements = dtype.EnumerateArray()
                .Select((t, i) => new ExportedTensorMeta(
                    i < shapes.Count && shapes[i].ValueKind == JsonValueKind.Array ? ReadShape(shapes[i]) : null,
                    t.ValueKind == JsonValueKind.String ? t.GetString() : null))
                .ToImmutableArray();
            return new ExportedNode(name, target, args, kwargs, elements, IsTuple: true);
        }

        var meta = new ExportedTensorMeta(
            shape.ValueKind == JsonValueKind.Array ? ReadShape(shape) : null,
            dtype.ValueKind == JsonValueKind.String ? dtype.GetString() : null);
        return new ExportedNode(name, target, args, kwargs, [meta], IsTuple: false);
    }

    private static NodeArgument ReadArgument(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return NoneArgument.Instance;
            case JsonValueKind.True or JsonValueKind.False:
                return new BoolArgument(value.GetBoolean());
            case JsonValueKind.Number:
                var raw = value.GetRawText();
                return new NumberArgument(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture), raw.IndexOfAny(['.', 'e', 'E']) < 0);
            case JsonValueKind.String:
                return new TextArgument(value.GetString()!);
            case JsonValueKind.Array:
                return new ListArgument([.. value.EnumerateArray().Select(ReadArgument)]);
            case JsonValueKind.Object:
                return ReadTagged(value);
            default:
                throw new FormatException($"unexpected argument {value.GetRawText()}");
        }
    }

    private static NodeArgument ReadTagged(JsonElement value)
    {
        var properties = value.EnumerateObject().ToList();
        if (properties.Count != 1 || properties[0].Value.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"an object argument has exactly one string field, not {value.GetRawText()}");
        }

        var (tag, text) = (properties[0].Name, properties[0].Value.GetString()!);
        return tag switch
        {
            "node" => new NodeReference(text),
            "dtype" => new DataTypeArgument(text),
            "float" => new NumberArgument(text switch
            {
                "inf" => double.PositiveInfinity,
                "-inf" => double.NegativeInfinity,
                "nan" => double.NaN,
                _ => throw new FormatException($"{{\"float\": \"{text}\"}} is none of inf, -inf, nan"),
            }, IsInteger: false),
            _ => new TextArgument(text, tag),
        };
    }

    private static ImmutableArray<long> ReadShape(JsonElement shape) =>
        [.. shape.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var extent)
            ? extent
            : throw new FormatException($"shape {shape.GetRawText()} is not a list of integers (dynamic shapes are not supported)"))];

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            throw new FormatException($"missing field \"{name}\" in {Abbreviate(parent)}");
        }

        return value.ValueKind == kind ? value : throw new FormatException($"field \"{name}\" should be a {kind.ToString().ToLowerInvariant()}, not {Abbreviate(value)}");
    }

    private static string Text(JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"{what} should be a string, not {Abbreviate(value)}");

    private static string Abbreviate(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
