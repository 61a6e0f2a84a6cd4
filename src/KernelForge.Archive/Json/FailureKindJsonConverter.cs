using System.Text.Json;
using System.Text.Json.Serialization;
using KernelForge.Core;

namespace KernelForge.Archive.Json;

/// <summary>Writes a <see cref="FailureKind"/> as its bare string (<c>"wrong_result"</c>), the same text as the <c>failure_kind</c> column.</summary>
internal sealed class FailureKindJsonConverter : JsonConverter<FailureKind>
{
    public override FailureKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A failure kind must be a string."));

    public override void Write(Utf8JsonWriter writer, FailureKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
