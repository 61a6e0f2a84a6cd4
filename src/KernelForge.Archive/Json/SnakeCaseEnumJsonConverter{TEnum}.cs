using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelForge.Archive.Json;

/// <summary>Writes an enum by its snake_case name, as the archive's enum-valued columns do; numbers are refused on read.</summary>
internal sealed class SnakeCaseEnumJsonConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
