using KernelForge.Core;
using Spectre.Console;

namespace KernelForge.Cli.Rendering;

/// <summary>Renders one evaluation as the human-readable verdict of <c>kforge verify</c>.</summary>
internal static class VerifyReportRenderer
{
    public static void Render(IAnsiConsole console, EvaluationResult result)
    {
        RenderVerdict(console, result);
        if (result.Problem is { } problem)
        {
            console.MarkupLineInterpolated($"[bold]Problem[/] {problem.Name}  ({problem.Path}, sha256 {problem.Hash[..12]}…, {problem.Tensors.Count} input tensors, {problem.Outputs.Count} outputs, {Format.Bytes(problem.BytesMoved)} must move)");
        }

        console.MarkupLineInterpolated($"[bold]Precision policy[/] {result.Precision.ToString().ToLowerInvariant()}");
        RenderCompile(console, result.Compile);
        RenderChecks(console, result.Checks);
        RenderTimings(console, result);
        RenderEnvironment(console, result.Environment);
        foreach (var warning in result.Warnings)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }
    }

    /// <summary>Every check that ran, in order, and what it saw (<c>--explain</c>).</summary>
    public static void RenderExplanation(IAnsiConsole console, EvaluationResult result)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Checks that ran[/]").AddColumns("#", "check", "result", "what it saw");
        foreach (var (record, index) in result.Explanation.Select((record, index) => (record, index)))
        {
            table.AddRow(
                (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(record.Check),
                record.Passed ? "[green]ok[/]" : "[red]failed[/]",
                Markup.Escape(record.Saw));
        }

        console.Write(table);
    }

    private static void RenderVerdict(IAnsiConsole console, EvaluationResult result)
    {
        if (result.Accepted)
        {
            console.MarkupLine("[bold green]ACCEPTED[/]");
            return;
        }

        if (result.Correct)
        {
            console.MarkupLine("[bold green]CORRECT[/] (every check passed; not timed: --check-only)");
            return;
        }

        console.MarkupLineInterpolated($"[bold red]REJECTED[/] at {result.ReachedStage.ToString().ToLowerInvariant()}: [red]{result.Failure?.Value ?? "unknown"}[/]");
        if (result.FailureMessage is { Length: > 0 } message)
        {
            console.WriteLine(message);
        }
    }

    private static void RenderCompile(IAnsiConsole console, CompileResult? compile)
    {
        if (compile is null)
        {
            return;
        }

        var status = compile.Succeeded ? "[green]compiled[/]" : "[red]failed[/]";
        var cache = compile.CacheHit ? " (cache hit)" : string.Empty;
        console.MarkupLine($"[bold]Compile[/] {status} in {Format.Seconds(compile.Seconds)}{cache}");
        if (compile.Kernels.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("kernel", "registers", "shared mem", "stack", "spill st/ld");
            foreach (var kernel in compile.Kernels)
            {
                table.AddRow(
                    Markup.Escape(Shorten(kernel.Name, 48)),
                    Format.Integer(kernel.Registers),
                    Format.Bytes(kernel.SharedMemoryBytes),
                    Format.Bytes(kernel.StackFrameBytes),
                    $"{Format.Integer(kernel.SpillStoreBytes)}/{Format.Integer(kernel.SpillLoadBytes)} B");
            }

            console.Write(table);
        }
    }

    private static void RenderChecks(IAnsiConsole console, IReadOnlyList<InputSetCheck> checks)
    {
        if (checks.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Correctness vs float64 reference[/]")
            .AddColumns("input set", "seed", "output", "max abs err", "max rel err", "allowed abs", "eager fp32 abs err", "verdict");
        foreach (var set in checks)
        {
            if (set.HarnessFailure is { } harness)
            {
                table.AddRow(Cell(set.InputSetIndex), Cell(set.Seed), "–", "–", "–", "–", "–", $"[red]{Markup.Escape(harness.Value)}[/]");
                continue;
            }

            foreach (var output in set.Outputs)
            {
                var verdict = output.Passed ? "[green]pass[/]" : $"[red]{Markup.Escape(output.Failure?.Value ?? "fail")}[/]";
                table.AddRow(
                    Cell(set.InputSetIndex), Cell(set.Seed), Cell(output.OutputIndex),
                    Format.Scientific(output.MaxAbsError), Format.Scientific(output.MaxRelError),
                    Format.Scientific(output.AllowedMaxAbsError), Format.Scientific(output.ReferenceFloat32MaxAbsError), verdict);
            }
        }

        console.Write(table);
    }

    private static void RenderTimings(IAnsiConsole console, EvaluationResult result)
    {
        if (result.CandidateTiming is null && result.EagerTiming is null)
        {
            return;
        }

        var flushed = (result.CandidateTiming ?? result.EagerTiming)?.L2Flushed == true ? "L2 flushed before every sample" : "warm L2";
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Timing[/] (device events, {flushed})")
            .AddColumns("", "median", "IQR", "min", "samples", "speedup");
        AddTimingRow(table, "candidate", result.CandidateTiming, null);
        AddTimingRow(table, "torch eager", result.EagerTiming, result.SpeedupOverEager);
        AddTimingRow(table, "torch.compile", result.CompiledTiming, result.SpeedupOverCompiled);
        console.Write(table);

        if (result.MemoryFloorMicroseconds is { } floor)
        {
            console.MarkupLineInterpolated(
                $"[bold]Floor[/] {Format.Bytes(result.Problem!.BytesMoved)} ÷ {Format.Bandwidth(result.Environment?.MeasuredPeakBandwidthBytesPerSecond)} (measured) = {Format.Microseconds(floor)}; candidate reaches {Format.Percent(result.FractionOfFloor)} of the memory-bandwidth floor");
        }

        if (result.ComputeFloorMicroseconds is { } computeFloor)
        {
            console.MarkupLineInterpolated(
                $"[bold]Compute floor[/] {result.Problem!.Flops} flops at the GPU's fastest dense rate in any format = {Format.Microseconds(computeFloor)} (a bound, not a target)");
        }
    }

    private static void AddTimingRow(Table table, string label, TimingSummary? timing, double? speedup)
    {
        if (timing is null)
        {
            table.AddRow(label, "–", "–", "–", "–", "–");
            return;
        }

        table.AddRow(
            label,
            Format.Microseconds(timing.MedianMicroseconds),
            Format.Microseconds(timing.InterquartileRangeMicroseconds),
            Format.Microseconds(timing.MinMicroseconds),
            Format.Integer(timing.SampleCount),
            speedup is null ? "" : Format.Ratio(speedup));
    }

    private static void RenderEnvironment(IAnsiConsole console, EnvironmentInfo? environment)
    {
        if (environment is null)
        {
            return;
        }

        console.MarkupLineInterpolated(
            $"[bold]Environment[/] {environment.GpuName} (sm {environment.ComputeCapability}, {environment.MultiprocessorCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} SMs), driver {environment.DriverVersion ?? "?"}, CUDA runtime {environment.CudaRuntimeVersion ?? "?"}, nvcc {environment.NvccVersion ?? "?"}, torch {environment.TorchVersion ?? "?"} (CUDA {environment.TorchCudaVersion ?? "?"}), SM clock {Mhz(environment.SmClockMegahertz)} of {Mhz(environment.MaxSmClockMegahertz)}, memory clock {Mhz(environment.MemoryClockMegahertz)}, peak bandwidth {Format.Bandwidth(environment.MeasuredPeakBandwidthBytesPerSecond)} measured, empty kernel {Format.Microseconds(environment.EmptyKernelMicroseconds)}, host {environment.HostName}");
    }

    private static string Mhz(int? value) => value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) + " MHz" : "?";

    private static string Cell(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
