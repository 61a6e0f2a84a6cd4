using System.Globalization;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Pipeline;

/// <summary>
/// "The kernel really ran", at run time: every checked call must have launched at least one kernel (counted by the ABI
/// runner through CUPTI). A call that launches nothing produced its outputs with copies and memsets: a constant, a copy
/// of the inputs, or a result kept from an earlier call, never a computation.
/// </summary>
/// <remarks>
/// Library kernels count as launches: under <c>allow-libraries</c> a candidate may do all its work in cuBLAS. When the
/// module's own kernels never ran but other kernels did, that is shown as a warning, not a rejection. Calls whose launches
/// were not counted (no CUPTI, the torch-extension runner) neither pass nor fail this check; the explanation says so.
/// </remarks>
public static class KernelLaunchCheck
{
    /// <summary>The verdict on the checked calls: a rejection message, or a summary and an optional warning.</summary>
    public sealed record Outcome(string? Rejection, string Summary, string? Warning);

    public static Outcome Check(IReadOnlyList<RunnerRunResult> checkedCalls, IReadOnlyCollection<string> ownKernelNames)
    {
        ArgumentNullException.ThrowIfNull(checkedCalls);
        ArgumentNullException.ThrowIfNull(ownKernelNames);
        var counted = checkedCalls.Select((call, index) => (call, index)).Where(pair => pair.call.Launches is not null).ToList();
        if (counted.Count == 0)
        {
            var reason = checkedCalls.Select(call => call.LaunchesNotCounted).FirstOrDefault(text => !string.IsNullOrEmpty(text))
                ?? "this runner does not count launches";
            return new Outcome(null, "launches not counted: " + reason, null);
        }

        if (counted.FirstOrDefault(pair => pair.call.Launches == 0) is { call: not null } idle)
        {
            return new Outcome(
                Invariant($"Checked call {idle.index} launched no kernel (counted with CUPTI), so its outputs came from copies or memsets, not from a computation. Launch the kernels that compute the outputs from kforge_entry on the harness stream on every call."),
                Invariant($"call {idle.index} launched no kernel"), null);
        }

        var launched = counted.SelectMany(pair => pair.call.LaunchedKernels ?? new Dictionary<string, int>())
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value), StringComparer.Ordinal);
        var summary = Invariant($"{string.Join(", ", counted.Select(pair => pair.call.Launches))} launches in the {counted.Count} counted calls; kernels: {string.Join(", ", launched.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => Invariant($"{pair.Key} ×{pair.Value}")))}");
        var warning = ownKernelNames.Count > 0 && !launched.Keys.Any(ownKernelNames.Contains)
            ? "None of the module's own kernels ran on the checked calls; the outputs were computed by other kernels (" + string.Join(", ", launched.Keys.Order(StringComparer.Ordinal)) + ")."
            : null;
        return new Outcome(null, summary, warning);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
