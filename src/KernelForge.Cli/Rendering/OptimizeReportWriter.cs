using System.Globalization;
using System.Text;
using KernelForge.Core;
using KernelForge.Evaluation.Validation;
using KernelForge.Search.Tuning;
using KernelForge.Translation.Cuda;

namespace KernelForge.Cli.Rendering;

/// <summary>The <c>report.md</c> of <c>kforge optimize</c>: both forms' numbers side by side, the schedule chosen, how the search went, the machine.</summary>
internal static class OptimizeReportWriter
{
    public static string Markdown(OptimizeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var best = result.Best ?? throw new ArgumentException("A report needs a best kernel.", nameof(result));
        var kernel = best.Evaluation;
        var problem = kernel.Problem;
        var text = new StringBuilder();
        Line(text, $"# kforge optimize: {problem?.Name ?? result.ProblemPath}");
        Line(text);
        Line(text, $"Problem `{result.ProblemPath}`{(problem is null ? "" : $" (sha256 {problem.Hash[..12]}…)")} · precision {Kebab(result.Precision.ToString())} · library policy {Kebab(result.LibraryPolicy.ToString())} · finished {kernel.FinishedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
        Line(text);
        Line(text, "## Result");
        Line(text);
        Line(text, "Speedup is the reference median over the kernel median, both timed in the same session on the same GPU. The exported form is what a user calls from PyTorch, timed from Python exactly as the reference is.");
        Line(text);
        Line(text, "| form | verdict | median | vs torch eager | vs torch.compile | max abs error vs float64 | max rel error | eager float32's abs error | fraction of floor |");
        Line(text, "|---|---|---|---|---|---|---|---|---|");
        Row(text, "KernelForge ABI (`kernel.cu`)", kernel, null);
        Row(text, "torch extension (`extension.cu`)", result.Exported, result.ExportError);
        Line(text);
        Line(text, $"Reference: torch eager {Format.Microseconds(kernel.EagerTiming?.MedianMicroseconds)}, torch.compile {Format.Microseconds(kernel.CompiledTiming?.MedianMicroseconds)} (medians).");
        if (kernel.MemoryFloorMicroseconds is { } floor && problem is not null)
        {
            Line(text, $"Floor: {Format.Bytes(problem.BytesMoved)} must move ÷ {Format.Bandwidth(kernel.Environment?.MeasuredPeakBandwidthBytesPerSecond)} measured peak bandwidth = {Format.Microseconds(floor)}.");
        }

        Line(text);
        Line(text, "## Schedule chosen");
        Line(text);
        Line(text, "| kernel kind | lowering | block size | vector width | items per thread | the kind's default |");
        Line(text, "|---|---|---|---|---|---|");
        foreach (var (kind, schedule) in best.Schedules.OrderBy(pair => pair.Key))
        {
            // Library calls are the matmul and convolution default only under allow-libraries; the block/vector/items then shape the fallback kernel.
            var space = ScheduleSpace.For(kind, result.LibraryPolicy == LibraryPolicy.AllowLibraries);
            var lowering = schedule.Lowering == Lowering.Library ? $"library call ({ScheduleSpace.LibraryOf(kind)})"
                : schedule.Math == MathMode.Tf32TensorCores ? "own kernel, TF32 tensor cores" : "own kernel";
            var isDefault = schedule == space.Default;
            Line(text, $"| {kind} | {lowering} | {schedule.BlockSize} | {schedule.VectorWidth} | {schedule.ItemsPerThread} | {(isDefault ? "yes" : "no (" + space.Default + ")")} |");
        }

        Line(text);
        Line(text, "| kernel | kind | computes | lowered as |");
        Line(text, "|---|---|---|---|");
        foreach (var emitted in best.Translation.Kernels)
        {
            Line(text, $"| `{emitted.Name}` | {emitted.Kind} | {Cell(emitted.Summary)} | {Cell(emitted.Strategy)} |");
        }

        Line(text);
        Line(text, "## Search");
        Line(text);
        var tuning = result.Tuning;
        Line(text, $"{tuning.Evaluated.Count} schedule variants evaluated ({tuning.AcceptedCount} accepted, {tuning.DuplicatesSkipped} skipped as identical code) in {Format.Seconds(tuning.Elapsed.TotalSeconds)}; stopped: {StopReason(tuning.StopReason)}.");
        if (tuning.Evaluated.Count > 0 && tuning.Evaluated[0] is { MedianMicroseconds: { } defaultMedian } && best.MedianMicroseconds is { } bestMedian)
        {
            Line(text, $"Default schedule: {Format.Microseconds(defaultMedian)}; chosen: {Format.Microseconds(bestMedian)} ({Format.Ratio(defaultMedian / bestMedian)} from tuning).");
        }

        Line(text);
        Line(text, "## Library use");
        Line(text);
        Line(text, result.LibrariesUsed.Count == 0 ? "None: pure CUDA." : "Uses " + string.Join(", ", result.LibrariesUsed) + ".");
        Line(text);
        Line(text, "## Environment");
        Line(text);
        Line(text, Environment(kernel.Environment));
        var warnings = result.LintWarnings.Concat(kernel.Warnings).Concat(result.Exported?.Warnings ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (warnings.Count > 0)
        {
            Line(text);
            Line(text, "## Warnings");
            Line(text);
            foreach (var warning in warnings)
            {
                Line(text, "- " + warning.ReplaceLineEndings(" "));
            }
        }

        return text.ToString();
    }

    /// <summary>The largest absolute and relative errors against float64 over every checked output, and eager float32's own.</summary>
    public static (double? Abs, double? Rel, double? EagerAbs) MaxErrors(EvaluationResult? result)
    {
        var outputs = result?.Checks.SelectMany(check => check.Outputs).ToList() ?? [];
        return (outputs.Max(o => o.MaxAbsError), outputs.Max(o => o.MaxRelError), outputs.Max(o => o.ReferenceFloat32MaxAbsError));
    }

    public static string StopReason(TuningStopReason reason) => reason switch
    {
        TuningStopReason.Exhausted => "every planned variant was evaluated",
        TuningStopReason.BudgetSpent => "the time budget was spent (raise --budget-minutes to try more)",
        TuningStopReason.Cancelled => "interrupted (Ctrl+C); the best so far was kept",
        _ => reason.ToString(),
    };

    private static void Row(StringBuilder text, string form, EvaluationResult? result, string? notEvaluated)
    {
        if (result is null)
        {
            Line(text, $"| {form} | not evaluated: {Cell(notEvaluated ?? "no result")} | – | – | – | – | – | – | – |");
            return;
        }

        var verdict = result.Accepted ? "accepted" : $"rejected ({result.Failure?.Value}): {Cell(result.FailureMessage?.Split('\n')[0] ?? "")}";
        var (abs, rel, eager) = MaxErrors(result);
        Line(text, $"| {form} | {verdict} | {Format.Microseconds(result.CandidateTiming?.MedianMicroseconds)} | {Format.Ratio(result.SpeedupOverEager)} | {Format.Ratio(result.SpeedupOverCompiled)} | {Format.Scientific(abs)} | {Format.Scientific(rel)} | {Format.Scientific(eager)} | {Format.Percent(result.FractionOfFloor)} |");
    }

    private static string Environment(EnvironmentInfo? environment) => environment is null
        ? "Not reported."
        : string.Create(CultureInfo.InvariantCulture,
            $"{environment.GpuName} (sm {environment.ComputeCapability}, {environment.MultiprocessorCount?.ToString(CultureInfo.InvariantCulture) ?? "?"} SMs), driver {environment.DriverVersion ?? "?"}, CUDA runtime {environment.CudaRuntimeVersion ?? "?"}, nvcc {environment.NvccVersion ?? "?"}, torch {environment.TorchVersion ?? "?"} (CUDA {environment.TorchCudaVersion ?? "?"}), Python {environment.PythonVersion ?? "?"}, SM clock {environment.SmClockMegahertz?.ToString(CultureInfo.InvariantCulture) ?? "?"} of {environment.MaxSmClockMegahertz?.ToString(CultureInfo.InvariantCulture) ?? "?"} MHz, measured peak bandwidth {Format.Bandwidth(environment.MeasuredPeakBandwidthBytesPerSecond)}, empty kernel {Format.Microseconds(environment.EmptyKernelMicroseconds)}, host {environment.HostName}.");

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);

    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
