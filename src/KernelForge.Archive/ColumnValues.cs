using System.Globalization;
using System.Text.Json;

namespace KernelForge.Archive;

/// <summary>How enum and time values are spelled in the archive's text columns, written and read by one rule.</summary>
/// <remarks>
/// Enums are the C# name in snake_case, the same naming the JSON columns use (<c>TorchExtension</c> → <c>torch_extension</c>).
/// Timestamps are UTC with a fixed seven-digit fraction, so text order is time order.
/// </remarks>
internal static class ColumnValues
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string EnumName<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(
            Enum.GetName(value) ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a named {typeof(TEnum).Name}."));

    public static TEnum ParseEnum<TEnum>(string text)
        where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(EnumName(value), text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new InvalidDataException($"The archive holds {typeof(TEnum).Name} '{text}', which this kforge does not know; upgrade kforge to read it.");
    }

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
