using System.Globalization;
using KernelForge.Core;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Pipeline;

/// <summary>
/// "The kernel really ran", at run time: every checked call must have launched at least one kernel (counted through
/// CUPTI: by the ABI runner directly, by the extension runner with torch's profiler). A call that launches nothing
/// produced its outputs with copies, memsets or host code: a constant, a copy of the inputs, or a result kept from an
/// earlier call, never a computation.
/// </summary>
/// <remarks>
/// Library kernels count as launches: under <c>allow-libraries</c> a candidate may do all its work in cuBLAS, and a
/// torch-extension candidate may call torch. When none of the candidate's own kernels ran but other kernels did, that
/// is shown as a warning, not a rejection. Own kernels are matched by identifier (<see cref="KernelIdentifier"/>): the
/// ABI's own names are the build's mangled symbols, a torch-extension candidate's are the <c>__global__</c> functions of
/// its source, and the runners report mangled (ABI) or demangled (torch's profiler) names. Calls whose launches were not
/// counted (no CUPTI, a CPU device) neither pass nor fail this check; the explanation says so.
/// </remarks>
public static class KernelLaunchCheck
{
    /// <summary>The verdict on the checked calls: a rejection message, or a summary and an optional warning.</summary>
    public sealed record Outcome(string? Rejection, string Summary, string? Warning);

    public static Outcome Check(IReadOnlyList<RunnerRunResult> checkedCalls, IReadOnlyCollection<string> ownKernelNames, CandidateFormat format = CandidateFormat.Abi)
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

        var extension = format == CandidateFormat.TorchExtension;
        if (counted.FirstOrDefault(pair => pair.call.Launches == 0) is { call: not null } idle)
        {
            return new Outcome(
                extension
                    ? Invariant($"Checked call {idle.index} launched no kernel (counted with torch's profiler), so its outputs came from copies, memsets or host code, not from a computation on the GPU. Launch the kernels that compute the outputs from forward on every call.")
                    : Invariant($"Checked call {idle.index} launched no kernel (counted with CUPTI), so its outputs came from copies or memsets, not from a computation. Launch the kernels that compute the outputs from kforge_entry on the harness stream on every call."),
                Invariant($"call {idle.index} launched no kernel"), null);
        }

        var launched = counted.SelectMany(pair => pair.call.LaunchedKernels ?? new Dictionary<string, int>())
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value), StringComparer.Ordinal);
        var summary = Invariant($"{string.Join(", ", counted.Select(pair => pair.call.Launches))} launches in the {counted.Count} counted calls; kernels: {string.Join(", ", launched.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => Invariant($"{pair.Key} ×{pair.Value}")))}");
        var own = ownKernelNames.Select(KernelIdentifier).ToHashSet(StringComparer.Ordinal);
        var ownRan = launched.Keys.Any(name => own.Contains(KernelIdentifier(name)));
        var others = string.Join(", ", launched.Keys.Order(StringComparer.Ordinal));
        string? warning = null;
        if (extension && !ownRan)
        {
            // Issue item 11: a torch-extension candidate whose own kernels never run is flagged, whatever it defines.
            warning = "Only torch's / other kernels ran on the checked calls (" + others + ")"
                + (own.Count > 0
                    ? ", none of the candidate's own (" + string.Join(", ", own.Order(StringComparer.Ordinal)) + ")"
                    : ", and the candidate's source defines no __global__ kernel")
                + ": the candidate calls back into torch (or a library) for its outputs instead of computing them in kernels of its own.";
        }
        else if (own.Count > 0 && !ownRan)
        {
            warning = "None of the module's own kernels ran on the checked calls; the outputs were computed by other kernels (" + others + ").";
        }

        return new Outcome(null, summary, warning);
    }

    /// <summary>
    /// The source identifier of a kernel name as CUPTI or torch's profiler reports it, so that names can be matched
    /// across the two spellings: <c>void ns::my_kernel&lt;float, 4&gt;(float const*, float*, int)</c>,
    /// <c>ns::my_kernel(float*)</c>, <c>_Z9my_kernelPKfPfi</c> and <c>_ZN2ns9my_kernelEPf</c> all give <c>my_kernel</c>.
    /// </summary>
    /// <remarks>
    /// Itanium-mangled names (<c>_Z</c>) are read for a plain or nested (<c>N…E</c>) source name: the last
    /// length-prefixed component before the parameters or template arguments. Demangled names lose their parameter list,
    /// template arguments, return type and qualifying scopes. Anything else that is not an identifier at the end (an
    /// extern "C" name, a library kernel such as <c>sm90_xmma_gemm_…</c>, something unparseable) is returned whole.
    /// </remarks>
    public static string KernelIdentifier(string launchedName)
    {
        ArgumentNullException.ThrowIfNull(launchedName);
        var name = launchedName.Trim();
        var identifier = name.StartsWith("_Z", StringComparison.Ordinal) ? MangledIdentifier(name) : DemangledIdentifier(name);
        return identifier is not null && IsIdentifier(identifier) ? identifier : name;
    }

    // _Z [L] <length><name> …   or   _Z [L] N [r][V][K] (<length><name>)+ E …   (the Itanium C++ ABI's <encoding>).
    private static string? MangledIdentifier(string name)
    {
        var at = 2;
        if (at < name.Length && name[at] == 'L')
        {
            at++; // internal linkage (static functions)
        }

        var nested = at < name.Length && name[at] == 'N';
        if (nested)
        {
            at++;
            while (at < name.Length && name[at] is 'r' or 'V' or 'K')
            {
                at++;
            }
        }

        string? last = null;
        while (at < name.Length && char.IsAsciiDigit(name[at]))
        {
            var digits = at;
            while (at < name.Length && char.IsAsciiDigit(name[at]))
            {
                at++;
            }

            if (!int.TryParse(name.AsSpan(digits, at - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0 || at + length > name.Length)
            {
                return null;
            }

            last = name.Substring(at, length);
            at += length;
            if (!nested)
            {
                break;
            }
        }

        return last;
    }

    // [return type] [scope::]*identifier[<template arguments>][(parameters)][ const]
    private static string? DemangledIdentifier(string name)
    {
        var head = name;
        var open = TopLevelOpen(head, '(', ')');
        if (open > 0)
        {
            head = head[..open].TrimEnd();
        }

        if (head.EndsWith('>'))
        {
            var templateOpen = TopLevelOpen(head, '<', '>');
            if (templateOpen <= 0)
            {
                return null;
            }

            head = head[..templateOpen].TrimEnd();
        }

        var scope = head.LastIndexOf("::", StringComparison.Ordinal);
        if (scope >= 0)
        {
            head = head[(scope + 2)..];
        }

        var space = head.LastIndexOf(' ');
        return space >= 0 ? head[(space + 1)..] : head;
    }

    // Where the bracket group that closes at the end of text opens (for '(' : the last group that ends the name, the
    // parameter list, possibly followed by qualifiers such as " const"); -1 when there is none or brackets do not balance.
    private static int TopLevelOpen(string text, char open, char close)
    {
        var end = text.Length - 1;
        if (open == '(')
        {
            end = text.LastIndexOf(close);
            if (end < 0)
            {
                return -1;
            }
        }
        else if (text[end] != close)
        {
            return -1;
        }

        var depth = 0;
        for (var i = end; i >= 0; i--)
        {
            if (text[i] == close)
            {
                depth++;
            }
            else if (text[i] == open && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsIdentifier(string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
