using System.Text.Json.Serialization;
using KernelForge.Core;

namespace KernelForge.Archive.Json;

/// <summary>Source-generated serializers for the archive's <c>*_json</c> columns: snake_case names, invariant numbers.</summary>
/// <remarks>
/// NaN and infinity are written as the strings <c>"NaN"</c>/<c>"Infinity"</c> rather than refused: an error metric of
/// a non-finite output is a fact worth keeping, and refusing it would lose the whole evaluation.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(FailureKindJsonConverter), typeof(DataTypeJsonConverter), typeof(SnakeCaseEnumJsonConverter<TensorRole>)])]
[JsonSerializable(typeof(IReadOnlyList<double>))]
[JsonSerializable(typeof(IReadOnlyList<long>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<TensorSpec>))]
[JsonSerializable(typeof(IReadOnlyList<KernelResourceUsage>))]
[JsonSerializable(typeof(IReadOnlyList<InputSetCheck>))]
[JsonSerializable(typeof(EnvironmentInfo))]
[JsonSerializable(typeof(IReadOnlyList<CheckRecord>))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
