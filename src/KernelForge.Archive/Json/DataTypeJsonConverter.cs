using System.Text.Json;
using System.Text.Json.Serialization;
using KernelForge.Core;

namespace KernelForge.Archive.Json;

/// <summary>Writes a <see cref="DataType"/> by its protocol name (<c>"bfloat16"</c>), not by snake_case (<c>"b_float16"</c>).</summary>
internal sealed class DataTypeJsonConverter : JsonConverter<DataType>
{
    public override DataType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString();
        return name is not null && DataTypes.TryParse(name, out var type)
            ? type
            : throw new JsonException($"Unknown data type '{name}'.");
    }

    public override void Write(Utf8JsonWriter writer, DataType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToProtocolName());
}
