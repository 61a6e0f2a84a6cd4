using System.Text.Json.Nodes;
using KernelForge.Archive;
using KernelForge.Cli.Rendering;
using KernelForge.Core;
using KernelForge.Evaluation.Extension;
using KernelForge.Evaluation.Pipeline;
using Spectre.Console;

namespace KernelForge.Cli;

/// <summary>
/// <c>kforge verify</c> end to end: checks the machine, opens the archive, starts an evaluation session, evaluates
/// each candidate (the batch compiles in parallel), appends every result, and renders the verdicts.
/// </summary>
internal sealed class VerifyWorkflow(IAnsiConsole console)
{
    public async Task<int> RunAsync(VerifySettings settings, CancellationToken cancellationToken)
    {
        if (ValidateInputs(settings) is { } inputProblem)
        {
            return Fail(inputProblem);
        }

        try
        {
            var host = await KforgeHost.CreateAsync(cancellationToken);
            await using var archive = await SqliteArchive.OpenAsync(settings.Archive.FullName, cancellationToken);
            var candidates = settings.Kernels.Select(kernel =>
            {
                var source = File.ReadAllText(kernel.FullName);
                return new Candidate(source, CandidateFormats.Detect(kernel.Name, source).Format!.Value, "file:" + kernel.FullName);
            }).ToList();
            var started = TimeProvider.System.GetTimestamp();
            await using var session = await EvaluationSession.StartAsync(
                host.SessionOptions(settings.InputSets, settings.Device, StderrSink(settings)) with { LibraryPolicy = settings.LibraryPolicy },
                ProgressSink(settings), cancellationToken: cancellationToken);

            // Fill the compile pool with the whole batch at once; each evaluation then finds its build in flight or cached.
            // Torch-extension candidates are built by their own runner, one at a time, so they have no prefetch (null).
            var prefetch = candidates.Select(candidate => candidate.Format == CandidateFormat.Abi
                ? session.CompilePool.CompileAsync(candidate.Source, cancellationToken)
                : null).ToList();

            var results = new List<EvaluationResult>();
            foreach (var (candidate, build) in candidates.Zip(prefetch))
            {
                // The path as the user wrote it: the session resolves it for the worker and reports it as given.
                var request = new EvaluationRequest(settings.Problem.ToString(), candidate, settings.Precision, TimingOptions.Default, settings.InputSets)
                {
                    CheckOnly = settings.CheckOnly,
                };
                var result = await session.EvaluateAsync(request, cancellationToken);

                // The evaluation found the prefetched build in the cache; report how that build really went (its
                // compile seconds, cold or cached), not the cache lookup.
                result = result with { Compile = build is not null && result.Compile is { Succeeded: true } ? await build : result.Compile };
                await archive.AppendAsync(result, KforgeVersion.Current, cancellationToken);
                results.Add(result);
                if (!settings.Json)
                {
                    if (candidates.Count > 1)
                    {
                        console.Write(new Rule(Markup.Escape(candidate.Origin)));
                    }

                    VerifyReportRenderer.Render(console, result);
                    if (settings.Explain)
                    {
                        VerifyReportRenderer.RenderExplanation(console, result);
                    }
                }
            }

            var wallSeconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;

            // What success means: accepted (checked and timed), or under --check-only, correct (every check passed).
            Func<EvaluationResult, bool> passed = settings.CheckOnly ? r => r.Correct : r => r.Accepted;
            if (settings.Json)
            {
                console.Profile.Out.Writer.WriteLine(results.Count == 1 ? VerifyJsonWriter.Write(results[0]) : BatchJson(results, wallSeconds));
            }
            else if (results.Count > 1)
            {
                console.MarkupLineInterpolated($"[bold]{results.Count(passed)} of {results.Count} {(settings.CheckOnly ? "correct" : "accepted")}[/] in {Format.Seconds(wallSeconds)} ({Format.Integer((long)(results.Count / wallSeconds * 3600))} candidates/hour)");
            }

            return results.All(passed) ? ExitCodes.Success : ExitCodes.Rejected;
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
        catch (KernelForge.Evaluation.Protocol.ProtocolErrorException ex)
        {
            // A child failed outside any candidate's verdict (e.g. the worker out of GPU memory computing the reference).
            return Fail($"the {ex.Process ?? "reference worker"} failed ({ex.Kind}): {ex.Message.Split('\n')[0]}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail("interrupted; evaluations finished so far are in the archive.", ExitCodes.Cancelled);
        }
    }

    private static string? ValidateInputs(VerifySettings settings)
    {
        if (!settings.Problem.Exists)
        {
            return $"problem file '{settings.Problem}' does not exist; pass the path of a KernelBench-format .py (see problems/).";
        }

        if (!settings.Problem.Extension.Equals(".py", StringComparison.OrdinalIgnoreCase))
        {
            return $"problem file '{settings.Problem}' is not a .py; a problem is a Python file with class Model, get_inputs() and get_init_inputs().";
        }

        foreach (var kernel in settings.Kernels)
        {
            if (!kernel.Exists)
            {
                return $"kernel file '{kernel}' does not exist; pass the path of a KernelForge ABI .cu (see examples/), a pybind .cu or a ModelNew .py.";
            }

            if (CandidateFormats.Detect(kernel.ToString(), File.ReadAllText(kernel.FullName)).Error is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string BatchJson(List<EvaluationResult> results, double wallSeconds) => new JsonObject
    {
        ["schema_version"] = VerifyJsonWriter.SchemaVersion,
        ["results"] = new JsonArray([.. results.Select(result => (JsonNode)VerifyJsonWriter.ToJson(result))]),
        ["accepted"] = results.Count(r => r.Accepted),
        ["correct"] = results.Count(r => r.Correct),
        ["wall_seconds"] = wallSeconds,
        ["candidates_per_hour"] = results.Count / wallSeconds * 3600,
    }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    // Progress goes to stderr, and only to a terminal: redirected output and --json stay clean. KFORGE_VERBOSE=1 forces it,
    // with the child processes' own stderr.
    private static Progress<string>? ProgressSink(VerifySettings settings) =>
        Verbose || (!Console.IsErrorRedirected && !settings.Json) ? new Progress<string>(message => Console.Error.WriteLine("kforge: " + message + "...")) : null;

    private static Action<string>? StderrSink(VerifySettings settings) => Verbose ? line => Console.Error.WriteLine("  | " + line) : null;

    private static bool Verbose => Environment.GetEnvironmentVariable("KFORGE_VERBOSE") == "1";

    private static int Fail(string message, int exitCode = ExitCodes.UsageOrEnvironment)
    {
        Console.Error.WriteLine("kforge: " + message);
        return exitCode;
    }
}
