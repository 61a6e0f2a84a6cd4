using System.Globalization;

namespace KernelForge.Cli.Rendering;

/// <summary>Invariant-culture number formatting for reports: what leaves the process never depends on the user's locale.</summary>
internal static class Format
{
    public static string Microseconds(double? value) =>
        value is { } v ? v.ToString(v >= 100 ? "F1" : "F2", CultureInfo.InvariantCulture) + " µs" : "–";

    public static string Seconds(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + " s";

    public static string Ratio(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";

    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) + " %" : "–";

    public static string Scientific(double? value) => value is { } v ? v.ToString("0.00e+00", CultureInfo.InvariantCulture) : "–";

    public static string Integer(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public static string Bandwidth(double? bytesPerSecond) =>
        bytesPerSecond is { } v ? (v / 1e12).ToString("F2", CultureInfo.InvariantCulture) + " TB/s" : "–";
}
