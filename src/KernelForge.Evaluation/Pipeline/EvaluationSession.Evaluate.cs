using System.Globalization;
using KernelForge.Core;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Statistics;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Pipeline;

public sealed partial class EvaluationSession
{
    private async Task<EvaluationResult> EvaluateAbiAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        var candidate = request.Candidate;
        var problem = await LoadProblemAsync(request.ProblemPath, cancellationToken);
        var warnings = new List<string>(problem.Info.Warnings);
        EvaluationResult Rejected(EvaluationStage stage, FailureKind failure, string message, CompileResult? compile = null, IReadOnlyList<InputSetCheck>? checks = null) =>
            new(candidate, problem.Info, request.Precision, stage, failure, message, compile, checks ?? [], null, null, null, Environment, warnings, _timeProvider.GetUtcNow());

        Report("compiling the candidate");
        var compile = await CompilePool.CompileAsync(candidate.Source, cancellationToken);
        if (!compile.Succeeded)
        {
            return Rejected(EvaluationStage.Compile, compile.Failure ?? FailureKind.CompileError, "The candidate did not compile:\n" + compile.Log.Trim(), compile);
        }

        Report("loading the candidate in the ABI runner");
        var load = await _runner.LoadAsync(compile.LibraryPath!, problem.Info.Tensors, problem.Info.Outputs, problem.InputFiles, _options.RunnerRequestDeadline, cancellationToken);
        if (load.Failure is { } loadFailure)
        {
            return Rejected(EvaluationStage.Load, loadFailure, load.Message ?? "The runner could not load the candidate.", compile);
        }

        var candidateDirectory = Path.Combine(_sharedDirectory, "out-" + candidate.Id[..16]);
        Directory.CreateDirectory(candidateDirectory);
        try
        {
            var outputFiles = new List<IReadOnlyList<string>>();
            for (var set = 0; set < problem.InputFiles.Count; set++)
            {
                Report($"running input set {set + 1} of {problem.InputFiles.Count}");
                IReadOnlyList<string> paths = [.. problem.Info.Outputs.Select((_, index) => Path.Combine(candidateDirectory, Invariant($"set{set}_out{index}.npy")))];
                var run = await _runner.RunAsync(set, paths, _options.RunDeadline, cancellationToken);
                if (run.Failure is { } runFailure)
                {
                    var harnessCheck = new InputSetCheck(set, problem.Info.Seeds[set], [], runFailure, run.Message);
                    return Rejected(EvaluationStage.Run, runFailure, Invariant($"Input set {set} (seed {problem.Info.Seeds[set]}): {run.Message}"), compile, [harnessCheck]);
                }

                outputFiles.Add(paths);
            }

            Report("comparing with the float64 reference");
            var checks = await _worker.CheckAsync(outputFiles, problem.Info.Seeds, request.Precision, cancellationToken);
            var firstFailure = checks.SelectMany(set => set.Outputs.Where(output => !output.Passed).Select(output => (set, output))).FirstOrDefault();
            if (firstFailure.output is { } failed)
            {
                var message = Invariant($"Input set {firstFailure.set.InputSetIndex} (seed {firstFailure.set.Seed}), output {failed.OutputIndex}: {failed.Message}");
                return Rejected(EvaluationStage.Check, failed.Failure ?? FailureKind.WrongResult, message, compile, checks);
            }

            Report("timing the candidate");
            var timed = await _runner.TimeAsync(request.Timing, _options.RunDeadline, cancellationToken);
            if (timed.Failure is { } timeFailure)
            {
                return Rejected(EvaluationStage.Time, timeFailure, timed.Message ?? "The candidate failed while being timed.", compile, checks);
            }

            var candidateTiming = TimingStatistics.Summarize(timed.SamplesMicroseconds, request.Timing.FlushL2);
            var reference = await TimeReferenceAsync(problem, request.Timing, cancellationToken);
            warnings.AddRange(reference.Warnings);
            var result = new EvaluationResult(
                candidate, problem.Info, request.Precision, EvaluationStage.Time, null, null, compile, checks,
                candidateTiming, reference.Eager, reference.Compiled, Environment, warnings, _timeProvider.GetUtcNow());

            if (Environment.MeasuredPeakBandwidthBytesPerSecond is { } bandwidth
                && ImplausibilityCheck.Check(candidateTiming.MedianMicroseconds, problem.Info.BytesMoved, bandwidth) is { } implausible)
            {
                return result with { Failure = FailureKind.ImplausibleTime, FailureMessage = implausible.Message };
            }

            warnings.AddRange(TimingAnalysis.Analyze(candidateTiming, request.Timing, Environment.EmptyKernelMicroseconds).Select(conclusion => conclusion.Message));
            if (result.SpeedupOverEager > 10 && result.SpeedupOverCompiled is null or > 10)
            {
                warnings.Add("Speedup above 10× over torch eager and torch.compile: check for result reuse or stream tricks before trusting it.");
            }

            return result;
        }
        finally
        {
            TryDeleteDirectory(candidateDirectory);
        }
    }

    private async Task<LoadedProblem> LoadProblemAsync(string problemPath, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(problemPath);
        if (_problems.TryGetValue(fullPath, out var cached))
        {
            return cached;
        }

        Report("loading the problem and computing float32 and float64 references");
        try
        {
            var directory = Path.Combine(_sharedDirectory, "problem-" + _problems.Count.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            var loaded = await _worker.LoadProblemAsync(fullPath, _options.Seeds, directory, cancellationToken);
            loaded = loaded with { Info = loaded.Info with { Path = problemPath } };
            _problems[fullPath] = loaded;
            return loaded;
        }
        catch (ProtocolErrorException ex) when (ex.Kind.StartsWith("problem_", StringComparison.Ordinal) || ex.Kind == "unsupported_dtype")
        {
            throw new ProblemException(ex.Kind, ex.Message);
        }
    }

    private async Task<(TimingSummary? Eager, TimingSummary? Compiled, IReadOnlyList<string> Warnings)> TimeReferenceAsync(LoadedProblem problem, TimingOptions timing, CancellationToken cancellationToken)
    {
        if (_referenceTimings.TryGetValue(problem.Info.Hash, out var cached))
        {
            return cached;
        }

        var warnings = new List<string>();
        Report("timing the reference (torch eager)");
        var eager = await _worker.TimeReferenceAsync("eager", timing, cancellationToken);
        TimingSummary? compiled = null;
        Report("timing the reference (torch.compile)");
        try
        {
            var compiledSamples = await _worker.TimeReferenceAsync("compile", timing, cancellationToken);
            compiled = TimingStatistics.Summarize(compiledSamples.SamplesMicroseconds, compiledSamples.L2Flushed);
        }
        catch (ProtocolErrorException ex)
        {
            warnings.Add("torch.compile could not time the reference: " + ex.Message);
        }

        var entry = (TimingStatistics.Summarize(eager.SamplesMicroseconds, eager.L2Flushed), compiled, (IReadOnlyList<string>)warnings);
        _referenceTimings[problem.Info.Hash] = entry;
        return entry;
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover output file in shared memory is harmless and removed with the session folder.
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
