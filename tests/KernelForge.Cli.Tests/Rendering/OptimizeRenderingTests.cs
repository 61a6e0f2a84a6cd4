using System.Globalization;
using System.Text.Json.Nodes;
using KernelForge.Cli.Rendering;
using KernelForge.Core;
using KernelForge.Search.Tuning;
using Spectre.Console.Testing;

namespace KernelForge.Cli.Tests.Rendering;

public sealed class OptimizeRenderingTests
{
    private static EvaluationResult ExportedAccepted()
    {
        var accepted = SampleResults.Accepted();
        return accepted with
        {
            Candidate = new Candidate("// extension", CandidateFormat.TorchExtension, "export"),
            CandidateTiming = accepted.CandidateTiming! with { MedianMicroseconds = 185.0 },
        };
    }

    [Fact]
    public void Markdown_BothForms_RowsWithSpeedupsErrorAndFloor()
    {
        var markdown = OptimizeReportWriter.Markdown(SampleTuning.Result(ExportedAccepted()));

        var abiRow = markdown.Split('\n').Single(line => line.StartsWith("| KernelForge ABI", StringComparison.Ordinal));
        Assert.Contains("| accepted | 182.0 µs | 1.01× | 0.99× |", abiRow, StringComparison.Ordinal);
        Assert.Contains("| 0.00e+00 | 0.00e+00 | 0.00e+00 | 98.7 % |", abiRow, StringComparison.Ordinal);
        var exportRow = markdown.Split('\n').Single(line => line.StartsWith("| torch extension", StringComparison.Ordinal));
        Assert.Contains("| accepted | 185.0 µs |", exportRow, StringComparison.Ordinal);
        Assert.Contains("Reference: torch eager 183.5 µs, torch.compile 181.0 µs", markdown, StringComparison.Ordinal);
        Assert.Contains("Floor: 512.0 MiB must move", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_ScheduleKernelsSearchLibrariesEnvironment_AllThere()
    {
        var markdown = OptimizeReportWriter.Markdown(SampleTuning.Result(ExportedAccepted()));

        Assert.Contains("| Pointwise | own kernel | 512 | 4 | 2 | no (block 256, vector 4, items 4) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `k0_pointwise` | Pointwise |", markdown, StringComparison.Ordinal);
        Assert.Contains("3 schedule variants evaluated (2 accepted, 2 skipped as identical code)", markdown, StringComparison.Ordinal);
        Assert.Contains("the time budget was spent", markdown, StringComparison.Ordinal);
        Assert.Contains("Default schedule: 200.0 µs; chosen: 182.0 µs (1.10× from tuning)", markdown, StringComparison.Ordinal);
        Assert.Contains("None: pure CUDA.", markdown, StringComparison.Ordinal);
        Assert.Contains("NVIDIA H100 80GB HBM3 (sm 9.0, 132 SMs), driver 580.159.04", markdown, StringComparison.Ordinal);
        Assert.Contains("library policy pure-cuda", markdown, StringComparison.Ordinal);
        Assert.Contains("- DEGENERATE PROBLEM (tiny_outputs)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_ExportNotEvaluated_SaysWhy()
    {
        var markdown = OptimizeReportWriter.Markdown(SampleTuning.Result(null, "interrupted before the exported form was evaluated."));

        Assert.Contains("| torch extension (`extension.cu`) | not evaluated: interrupted before the exported form was evaluated. | – |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_ExportRejected_ShowsFailure()
    {
        var rejected = SampleResults.RejectedUnwritten();

        var markdown = OptimizeReportWriter.Markdown(SampleTuning.Result(rejected));

        Assert.Contains("| torch extension (`extension.cu`) | rejected (unwritten_output): Input set 0", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_GermanCulture_InvariantNumbers()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var markdown = OptimizeReportWriter.Markdown(SampleTuning.Result(ExportedAccepted()));

            Assert.Contains("182.0 µs", markdown, StringComparison.Ordinal);
            Assert.DoesNotContain("182,0", markdown, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Json_Accepted_FilesTuningAndBothEvaluations()
    {
        var json = JsonNode.Parse(OptimizeJsonWriter.Write(SampleTuning.Result(ExportedAccepted())))!;

        Assert.Equal("accepted", json["verdict"]!.GetValue<string>());
        Assert.EndsWith(Path.Combine("out", "relu", "kernel.cu"), json["files"]!["kernel"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("extension.cu", json["files"]!["extension"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(512, json["tuning"]!["best_schedules"]!["pointwise"]!["block_size"]!.GetValue<int>());
        Assert.Equal("budget-spent", json["tuning"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(3, json["tuning"]!["variants"]!.AsArray().Count);
        Assert.Equal(182.0, json["kernel"]!["timing"]!["candidate"]!["median_us"]!.GetValue<double>());
        Assert.Equal("torch_extension", json["export"]!["candidate"]!["format"]!.GetValue<string>());
        Assert.Null(json["export_error"]);
    }

    [Fact]
    public void Json_ExportFailed_NoExtensionFileAndError()
    {
        var json = JsonNode.Parse(OptimizeJsonWriter.Write(SampleTuning.Result(null, "has registered buffers")))!;

        Assert.Null(json["files"]!["extension"]);
        Assert.Null(json["export"]);
        Assert.Equal("has registered buffers", json["export_error"]!.GetValue<string>());
    }

    [Fact]
    public void SummaryRenderer_Accepted_ShowsBothFormsAndFiles()
    {
        var console = new TestConsole().Width(200);

        OptimizeSummaryRenderer.Render(console, SampleTuning.Result(ExportedAccepted()));

        Assert.Contains("VERIFIED KERNEL FOUND", console.Output, StringComparison.Ordinal);
        Assert.Contains("torch extension", console.Output, StringComparison.Ordinal);
        Assert.Contains("185.0 µs", console.Output, StringComparison.Ordinal);
        Assert.Contains("Pointwise (block 512, vector 4, items 2)", console.Output, StringComparison.Ordinal);
        Assert.Contains("report.md", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TuningDisplay_NotLive_OneLinePerEvaluationMarkingNewBest()
    {
        var console = new TestConsole().Width(250);
        var display = new TuningDisplay(console, live: false, quiet: false);
        var tuning = SampleTuning.Result(null).Tuning;

        display.TuningProgress.Report(new TuningProgress(1, 1, 32, 0, 200.0, tuning.Evaluated[0]));
        display.TuningProgress.Report(new TuningProgress(2, 2, 32, 0, 182.0, tuning.Evaluated[1]));
        display.TuningProgress.Report(new TuningProgress(3, 2, 32, 0, 182.0, tuning.Evaluated[2]));

        var lines = console.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("new best Pointwise (block 256", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("new best Pointwise (block 512", lines[1], StringComparison.Ordinal);
        Assert.Contains("rejected: unwritten_output", lines[2], StringComparison.Ordinal);
        Assert.Contains("tried 3 of 32 · accepted 2 · best 182.0 µs", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void TuningDisplay_Quiet_PrintsNothing()
    {
        var console = new TestConsole();
        var display = new TuningDisplay(console, live: false, quiet: true);

        display.TuningProgress.Report(new TuningProgress(1, 1, 32, 0, 200.0, SampleTuning.Result(null).Tuning.Evaluated[0]));

        Assert.Equal(string.Empty, console.Output);
    }
}
