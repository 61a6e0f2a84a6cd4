using KernelForge.Archive;
using KernelForge.Cli.Rendering;
using KernelForge.Core;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Validation;
using KernelForge.Search.Export;
using KernelForge.Search.Tuning;
using KernelForge.Translation;
using Spectre.Console;

namespace KernelForge.Cli;

/// <summary>
/// <c>kforge optimize</c> end to end: checks the machine, lints and exports the problem, translates it, tunes the
/// schedule in an evaluation session (every evaluation archived), exports the best kernel as a torch extension and
/// evaluates that too, then writes <c>kernel.cu</c>, <c>extension.cu</c> and <c>report.md</c>.
/// </summary>
internal sealed partial class OptimizeWorkflow(IAnsiConsole console)
{
    public async Task<int> RunAsync(OptimizeSettings settings, CancellationToken cancellationToken)
    {
        if (ValidateInputs(settings) is { } inputProblem)
        {
            return Fail(inputProblem);
        }

        try
        {
            var host = await KforgeHost.CreateAsync(cancellationToken);
            var prepared = await PrepareAsync(settings.Problem, cancellationToken);
            if (prepared.ExitCode is { } exitCode)
            {
                return exitCode;
            }

            var (graphJson, lintWarnings) = (prepared.GraphJson!, ProblemLintWarnings.For(prepared.LintFindings, settings.Precision));
            // The library policy is a translator knob too: pure-cuda never emits a library call, allow-libraries tunes cuBLAS vs own GEMMs.
            var translator = new Translator { AllowLibraries = settings.LibraryPolicy == LibraryPolicy.AllowLibraries };
            var baseline = translator.Translate(graphJson);
            if (!baseline.Succeeded)
            {
                return NotTranslatable(settings.Problem, baseline);
            }

            WarnLoudly(lintWarnings);
            var header = await File.ReadAllTextAsync(Path.Combine(host.Resources.AbiDirectory, "kforge_abi.h"), cancellationToken);
            await using var archive = await SqliteArchive.OpenAsync(settings.Archive.FullName, cancellationToken);
            var display = new TuningDisplay(console, live: !settings.Json && console.Profile.Capabilities.Interactive, quiet: settings.Json);
            var libraryPolicy = settings.LibraryPolicy;
            OptimizeResult? written = null;

            // Written twice: as soon as tuning ends (Ctrl+C gives System.CommandLine only a short grace period, and the
            // best kernel must survive it), and again with the exported form's evaluation.
            async Task WriteAsync(TuningResult tuning, (string Source, EvaluationResult Evaluation)? exported, string? exportError)
            {
                if (tuning.Best is { } best)
                {
                    var libraries = StaticChecker.Check(best.Translation.Source!, CandidateFormat.Abi, libraryPolicy).LibrariesUsed;
                    written = new OptimizeResult(settings.Problem.ToString(), settings.Precision, libraryPolicy, tuning, exported?.Evaluation, exportError,
                        libraries, lintWarnings, settings.ProblemOutDirectory.FullName);
                    await WriteFilesAsync(written, exported?.Source, CancellationToken.None);
                }
            }

            var (tuning, exported, exportError) = await display.RunAsync(
                () => SearchAsync(settings, host, archive, translator, graphJson, baseline, header, display,
                    tuned => WriteAsync(tuned, null, "not evaluated yet (the search was still running when this was written)."), cancellationToken));

            if (tuning.Best is null)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return Fail($"interrupted after {tuning.Evaluated.Count} evaluations, none accepted; they are in the archive.", ExitCodes.Cancelled);
                }

                RenderNoneAccepted(tuning, settings.Json);
                return ExitCodes.Rejected;
            }

            await WriteAsync(tuning, exported, exportError);
            var result = written!;
            if (settings.Json)
            {
                console.Profile.Out.Writer.WriteLine(OptimizeJsonWriter.Write(result));
            }
            else
            {
                OptimizeSummaryRenderer.Render(console, result);
            }

            return ExitCodes.Success;
        }
        catch (EnvironmentException ex)
        {
            return Fail(ex.Message);
        }
        catch (ProblemException ex)
        {
            return Fail(ex.Message);
        }
        catch (ArchiveUnavailableException ex)
        {
            return Fail(ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail("interrupted before any kernel was verified; evaluations finished so far are in the archive.", ExitCodes.Cancelled);
        }
    }

    /// <summary>The search proper, inside the live display: session, tuning, then the exported form's evaluation.</summary>
    private static async Task<(TuningResult Tuning, (string Source, EvaluationResult Evaluation)? Exported, string? ExportError)> SearchAsync(
        OptimizeSettings settings, KforgeHost host, SqliteArchive archive, Translator translator, string graphJson, TranslationResult baseline, string header,
        TuningDisplay display, Func<TuningResult, Task> tuned, CancellationToken cancellationToken)
    {
        display.Stage("starting the evaluation session (measuring the GPU's floors)");
        await using var session = await EvaluationSession.StartAsync(
            host.SessionOptions(settings.InputSets, settings.Device, StderrSink) with { LibraryPolicy = settings.LibraryPolicy },
            display.SessionProgress, cancellationToken: cancellationToken);
        var evaluator = new ArchivingKernelEvaluator(session, archive);
        var tuner = new ScheduleTuner(evaluator, translator);
        var options = new ScheduleTuningOptions(settings.Problem.ToString(), settings.Precision, TimeSpan.FromMinutes(settings.BudgetMinutes), TimingOptions.Default, settings.InputSets);

        // Fill the compile pool with every planned variant: nvcc runs on all cores while the GPU evaluates one at a time.
        using var prefetch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var builds = tuner.Plan(graphJson, baseline).Select(variant => session.CompilePool.CompileAsync(variant.Translation.Source!, prefetch.Token)).ToList();
        TuningResult tuning;
        try
        {
            tuning = await tuner.TuneAsync(graphJson, baseline, options, display.TuningProgress, cancellationToken);
        }
        finally
        {
            await prefetch.CancelAsync();

            // Builds nobody waited for: cancelled ones throw, failed ones were seen by their evaluation.
            await Task.WhenAll(builds).ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        await tuned(tuning);
        if (tuning.Best is not { } best)
        {
            return (tuning, null, null);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return (tuning, null, "interrupted before the exported form was evaluated.");
        }

        var export = TorchExtensionExporter.Export(best.Translation.Source!, header, best.Evaluation.Problem!);
        if (!export.Succeeded)
        {
            return (tuning, null, export.Error);
        }

        display.Stage("evaluating the exported torch extension (its build takes tens of seconds)");
        var candidate = new Candidate(export.Source!, CandidateFormat.TorchExtension, $"export of {best.Evaluation.Candidate.Id[..16]} ({ScheduleText.Describe(best.Schedules)})");
        try
        {
            var request = new EvaluationRequest(settings.Problem.ToString(), candidate, settings.Precision, TimingOptions.Default, settings.InputSets);
            return (tuning, (export.Source!, await evaluator.EvaluateAsync(request, cancellationToken)), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (tuning, null, "interrupted before the exported form was evaluated.");
        }
        catch (EnvironmentException ex)
        {
            // The ABI kernel is verified either way; a machine that cannot build torch extensions loses only the export.
            return (tuning, null, "the exported form could not be evaluated: " + ex.Message);
        }
    }

    private static async Task WriteFilesAsync(OptimizeResult result, string? extensionSource, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(result.OutDirectory!);
        await File.WriteAllTextAsync(result.KernelPath!, result.Best!.Translation.Source, cancellationToken);
        var extensionPath = Path.Combine(result.OutDirectory!, "extension.cu");
        if (extensionSource is not null)
        {
            await File.WriteAllTextAsync(extensionPath, extensionSource, cancellationToken);
        }
        else
        {
            // No stale binding from an earlier run beside a report that says there is none.
            File.Delete(extensionPath);
        }

        await File.WriteAllTextAsync(result.ReportPath!, OptimizeReportWriter.Markdown(result), cancellationToken);
    }

    private static string? ValidateInputs(OptimizeSettings settings)
    {
        if (!settings.Problem.Exists)
        {
            return $"problem file '{settings.Problem}' does not exist; pass the path of a KernelBench-format .py (see problems/).";
        }

        return settings.Problem.Extension.Equals(".py", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"problem file '{settings.Problem}' is not a .py; a problem is a Python file with class Model, get_inputs() and get_init_inputs().";
    }

    private static Action<string>? StderrSink => Environment.GetEnvironmentVariable("KFORGE_VERBOSE") == "1" ? line => Console.Error.WriteLine("  | " + line) : null;

    private static int Fail(string message, int exitCode = ExitCodes.UsageOrEnvironment)
    {
        Console.Error.WriteLine("kforge: " + message);
        return exitCode;
    }
}
