using System.Globalization;
using KernelForge.Core;
using KernelForge.Evaluation.Extension;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Statistics;
using KernelForge.Evaluation.Validation;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Pipeline;

public sealed partial class EvaluationSession
{
    /// <summary>Builds and loads the candidate in the runner for its format; a non-null rejection ends the evaluation.</summary>
    /// <remarks>Static checks run first: a banned construct is rejected before anything is built or run.</remarks>
    private async Task<(ICandidateRunner? Runner, CompileResult? Compile, EvaluationResult? Rejection)> PrepareAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var candidate = attempt.Request.Candidate;
        var staticCheck = StaticChecker.Check(candidate.Source, candidate.Format, _options.LibraryPolicy);
        if (staticCheck.LibrariesUsed.Count > 0)
        {
            // Library use is always shown ("uses cuBLAS: yes"); until results carry it as a field it rides with the warnings.
            attempt.Warnings.AddRange(staticCheck.LibrarySummary);
        }

        attempt.Warnings.AddRange(staticCheck.Findings.Where(finding => finding.Verdict != StaticVerdict.Reject)
            .Select(finding => Invariant($"static check, line {finding.Line} [{finding.RuleId}] {finding.Matched}: {finding.Message}")));
        if (staticCheck.Rejected)
        {
            return (null, null, attempt.Rejected(EvaluationStage.Compile, FailureKind.BannedConstruct, staticCheck.DescribeRejections(), compile: null));
        }

        return candidate.Format == CandidateFormat.Abi
            ? await PrepareAbiAsync(attempt, cancellationToken)
            : await PrepareExtensionAsync(attempt, cancellationToken);
    }

    private async Task<(ICandidateRunner? Runner, CompileResult? Compile, EvaluationResult? Rejection)> PrepareAbiAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        Report("compiling the candidate");
        var compile = await CompilePool.CompileAsync(attempt.Request.Candidate.Source, cancellationToken);
        if (!compile.Succeeded)
        {
            return (null, compile, attempt.Rejected(EvaluationStage.Compile, compile.Failure ?? FailureKind.CompileError, "The candidate did not compile:\n" + compile.Log.Trim(), compile));
        }

        Report("loading the candidate in the ABI runner");
        var problem = attempt.Problem;
        var load = await _runner.LoadAsync(compile.LibraryPath!, problem.Info.Tensors, problem.Info.Outputs, problem.InputFiles, _options.RunnerRequestDeadline, cancellationToken);
        return load.Failure is { } loadFailure
            ? (null, compile, attempt.Rejected(EvaluationStage.Load, loadFailure, load.Message ?? "The runner could not load the candidate.", compile))
            : (_runner, compile, null);
    }

    private async Task<(ICandidateRunner? Runner, CompileResult? Compile, EvaluationResult? Rejection)> PrepareExtensionAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var candidate = attempt.Request.Candidate;
        var format = candidate.Source.Contains("PYBIND11_MODULE", StringComparison.Ordinal) ? ExtensionFormat.Pybind : ExtensionFormat.ModelNew;
        var directory = Path.Combine(_sharedDirectory, "ext-" + candidate.Id[..16]);
        Directory.CreateDirectory(directory);
        var sourcePath = Path.Combine(directory, format == ExtensionFormat.Pybind ? "candidate.cu" : "candidate.py");
        await File.WriteAllTextAsync(sourcePath, candidate.Source, cancellationToken);

        Report("building the torch extension (this takes tens of seconds)");
        _extension ??= new ExtensionRunnerClient(
            () => ExtensionRunnerClient.StartInfo(_options.Worker.PythonPath, _options.Worker.WorkerSourceDirectory), _options.Worker.StderrSink);
        var problem = attempt.Problem;
        var buildDirectory = Path.Combine(_options.CompileCacheDirectory ?? directory, "torch-extensions", candidate.Id[..16]);
        var load = await _extension.LoadAsync(
            sourcePath, format, Path.GetFullPath(attempt.Request.ProblemPath), problem.Info.Seeds[0], problem.Info.Tensors, problem.Info.Outputs,
            problem.InputFiles, buildDirectory, _options.Worker.Device, _options.Worker.LoadDeadline, cancellationToken);
        var compile = load.Succeeded
            ? CompileResult.Success(sourcePath, load.BuildSeconds ?? 0, cacheHit: false, string.Empty, [])
            : CompileResult.Failed(load.Failure!.Value, 0, load.Message ?? string.Empty);
        attempt.Warnings.AddRange(load.Warnings);
        if (load.Failure is { } failure)
        {
            var stage = failure == FailureKind.CompileError ? EvaluationStage.Compile : EvaluationStage.Load;
            return (null, compile, attempt.Rejected(stage, failure, load.Message ?? "The extension runner could not build the candidate.", compile));
        }

        return (_extension, compile, null);
    }

    /// <summary>Runs every input set, has the worker check the outputs, and only then times the candidate and the reference.</summary>
    private async Task<EvaluationResult> RunCheckAndTimeAsync(Attempt attempt, ICandidateRunner runner, CompileResult? compile, CancellationToken cancellationToken)
    {
        var (request, problem, warnings) = (attempt.Request, attempt.Problem, attempt.Warnings);
        var candidateDirectory = Path.Combine(_sharedDirectory, "out-" + request.Candidate.Id[..16]);
        Directory.CreateDirectory(candidateDirectory);
        try
        {
            var outputFiles = new List<IReadOnlyList<string>>();
            for (var set = 0; set < problem.InputFiles.Count; set++)
            {
                Report($"running input set {set + 1} of {problem.InputFiles.Count}");
                IReadOnlyList<string> paths = [.. problem.Info.Outputs.Select((_, index) => Path.Combine(candidateDirectory, Invariant($"set{set}_out{index}.npy")))];
                var run = await runner.RunAsync(set, paths, _options.RunDeadline, cancellationToken);
                if (run.Failure is { } runFailure)
                {
                    var harnessCheck = new InputSetCheck(set, problem.Info.Seeds[set], [], runFailure, run.Message);
                    return attempt.Rejected(EvaluationStage.Run, runFailure, Invariant($"Input set {set} (seed {problem.Info.Seeds[set]}): {run.Message}"), compile, [harnessCheck]);
                }

                outputFiles.Add(paths);
            }

            Report("comparing with the float64 reference");
            var checks = await _worker.CheckAsync(outputFiles, problem.Info.Seeds, request.Precision, cancellationToken);
            var firstFailure = checks.SelectMany(set => set.Outputs.Where(output => !output.Passed).Select(output => (set, output))).FirstOrDefault();
            if (firstFailure.output is { } failed)
            {
                var message = Invariant($"Input set {firstFailure.set.InputSetIndex} (seed {firstFailure.set.Seed}), output {failed.OutputIndex}: {failed.Message}");
                return attempt.Rejected(EvaluationStage.Check, failed.Failure ?? FailureKind.WrongResult, message, compile, checks);
            }

            Report("timing the candidate");
            var timed = await runner.TimeAsync(request.Timing, _options.RunDeadline, cancellationToken);
            if (timed.Failure is { } timeFailure)
            {
                return attempt.Rejected(EvaluationStage.Time, timeFailure, timed.Message ?? "The candidate failed while being timed.", compile, checks);
            }

            var candidateTiming = TimingStatistics.Summarize(timed.SamplesMicroseconds, request.Timing.FlushL2);
            var reference = await TimeReferenceAsync(problem, request.Timing, cancellationToken);
            warnings.AddRange(reference.Warnings);
            var result = new EvaluationResult(
                request.Candidate, problem.Info, request.Precision, EvaluationStage.Time, null, null, compile, checks,
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
