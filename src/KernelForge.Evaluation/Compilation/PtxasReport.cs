using System.Globalization;
using System.Text.RegularExpressions;
using KernelForge.Core;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Reads the per-kernel resource report that <c>-Xptxas -v</c> writes into the compile log.</summary>
/// <remarks>
/// A report looks like this (CUDA 11.8; newer releases add e.g. "used 0 barriers" to the "Used" line):
/// <code>
/// ptxas info    : Compiling entry function '_Z1kPfi' for 'sm_90'
/// ptxas info    : Function properties for _Z1kPfi
///     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
/// ptxas info    : Used 32 registers, 4096 bytes smem, 384 bytes cmem[0]
/// </code>
/// Parsing is tolerant: each number is looked for on its own, and a missing one reads as 0. Only entry functions
/// (kernels) are reported, with mangled names, in the order ptxas compiled them; a build for several targets lists a
/// kernel once per target. Constant memory is the sum over all <c>cmem[N]</c> banks on the kernel's "Used" line
/// (bank 0 holds the parameters); module-wide <c>__constant__</c> data is reported by ptxas apart and not counted.
/// </remarks>
public static partial class PtxasReport
{
    /// <summary>One <see cref="KernelResourceUsage"/> per "Compiling entry function" line of <paramref name="log"/>.</summary>
    public static IReadOnlyList<KernelResourceUsage> Parse(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var kernels = new List<KernelEntry>();
        var orphanProperties = new Dictionary<string, (int Stack, int SpillStores, int SpillLoads)>(StringComparer.Ordinal);
        KernelEntry? current = null;
        string? propertiesFor = null;

        foreach (var rawLine in log.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (EntryPattern().Match(line) is { Success: true } entry)
            {
                current = new KernelEntry(entry.Groups[1].Value);
                if (orphanProperties.Remove(current.Name, out var early))
                {
                    current.Properties = early;
                }

                kernels.Add(current);
                propertiesFor = null;
            }
            else if (PropertiesPattern().Match(line) is { Success: true } properties)
            {
                propertiesFor = properties.Groups[1].Value;
            }
            else if (propertiesFor is not null && StackPattern().IsMatch(line))
            {
                var values = (Number(StackPattern(), line), Number(SpillStorePattern(), line), Number(SpillLoadPattern(), line));
                if (current is not null && current.Name == propertiesFor && current.Properties is null)
                {
                    current.Properties = values;
                }
                else
                {
                    // A device function, or a report that gives properties before the entry line.
                    orphanProperties[propertiesFor] = values;
                }

                propertiesFor = null;
            }
            else if (current is not null && UsedPattern().IsMatch(line))
            {
                current.Registers = Number(UsedPattern(), line);
                current.SharedMemoryBytes = Number(SharedMemoryPattern(), line);
                current.ConstantMemoryBytes = ConstantMemoryPattern().Matches(line).Sum(m => ParseInt(m.Groups[1].ValueSpan));

                // A later "Used" line (e.g. of a non-entry function under -rdc) must not overwrite this kernel's.
                current = null;
            }
        }

        return kernels
            .Select(k =>
            {
                var (stack, stores, loads) = k.Properties ?? orphanProperties.GetValueOrDefault(k.Name);
                return new KernelResourceUsage(k.Name, k.Registers, k.SharedMemoryBytes, stack, stores, loads, k.ConstantMemoryBytes);
            })
            .ToList();
    }

    private static int Number(Regex pattern, string line) =>
        pattern.Match(line) is { Success: true } match ? ParseInt(match.Groups[1].ValueSpan) : 0;

    private static int ParseInt(ReadOnlySpan<char> digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : int.MaxValue;

    [GeneratedRegex(@"Compiling\s+entry\s+function\s+'([^']+)'", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"Function\s+properties\s+for\s+'?([^'\s]+)'?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PropertiesPattern();

    [GeneratedRegex(@"(\d+)\s+bytes\s+stack\s+frame", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StackPattern();

    [GeneratedRegex(@"(\d+)\s+bytes\s+spill\s+stores", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpillStorePattern();

    [GeneratedRegex(@"(\d+)\s+bytes\s+spill\s+loads", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpillLoadPattern();

    [GeneratedRegex(@"ptxas\s+info\s*:\s*Used\s+(\d+)\s+registers", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UsedPattern();

    [GeneratedRegex(@"(\d+)\s+bytes\s+smem", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SharedMemoryPattern();

    [GeneratedRegex(@"(\d+)\s+bytes\s+cmem\[\d+\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConstantMemoryPattern();

    private sealed class KernelEntry(string name)
    {
        public string Name { get; } = name;

        public int Registers { get; set; }

        public int SharedMemoryBytes { get; set; }

        public int ConstantMemoryBytes { get; set; }

        public (int Stack, int SpillStores, int SpillLoads)? Properties { get; set; }
    }
}
