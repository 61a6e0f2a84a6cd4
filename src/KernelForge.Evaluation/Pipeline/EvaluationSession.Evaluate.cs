using System.Globalization;
using KernelForge.Core;
using KernelForge.Evaluation.Extension;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Statistics;
using KernelForge.Evaluation.Tensors;
using KernelForge.Evaluation.Validation;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Pipeline;

public sealed partial class EvaluationSession
{
    /// <summary>Event timings may exceed the host wall time of the same loop by at most this factor (clock granularity).</summary>
    private const double WallClockSlack = 1.01;

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
        var rejecting = staticCheck.Findings.Count(finding => finding.Verdict == StaticVerdict.Reject);
        attempt.Explain("static_checks", !staticCheck.Rejected,
            $"{staticCheck.Findings.Count} findings ({rejecting} rejecting) under {_options.LibraryPolicy}; {string.Join(", ", staticCheck.LibrarySummary)}");
        if (staticCheck.Rejected)
        {
            return (null, null, attempt.Rejected(EvaluationStage.Compile, FailureKind.BannedConstruct, staticCheck.DescribeRejections(), compile: null));
        }

        return candidate.Format == CandidateFormat.Abi
            ? await PrepareAbiAsync(attempt, staticCheck.LibrariesUsed, cancellationToken)
            : await PrepareExtensionAsync(attempt, cancellationToken);
    }

    private async Task<(ICandidateRunner? Runner, CompileResult? Compile, EvaluationResult? Rejection)> PrepareAbiAsync(Attempt attempt, IReadOnlyList<string> librariesUsed, CancellationToken cancellationToken)
    {
        Report("compiling the candidate");
        var compile = await CompilePool.CompileAsync(attempt.Request.Candidate.Source, cancellationToken);
        attempt.Explain("compile", compile.Succeeded, compile.Succeeded
            ? (FormattableString)$"nvcc built {compile.Kernels.Count} kernels in {compile.Seconds:F2} s{(compile.CacheHit ? " (cache hit)" : "")}; max registers {(compile.Kernels.Count == 0 ? 0 : compile.Kernels.Max(k => k.Registers))}, spill bytes {compile.Kernels.Sum(k => k.SpillStoreBytes + k.SpillLoadBytes)}"
            : $"nvcc failed ({compile.Failure})");
        if (!compile.Succeeded)
        {
            return (null, compile, attempt.Rejected(EvaluationStage.Compile, compile.Failure ?? FailureKind.CompileError, "The candidate did not compile:\n" + compile.Log.Trim(), compile));
        }

        var noKernel = OwnKernelCheck.Check(compile.Kernels.Count, librariesUsed);
        attempt.Explain("own_kernels", noKernel is null, noKernel is null
            ? (FormattableString)$"{compile.Kernels.Count} kernels of its own in the build{(librariesUsed.Count > 0 ? "; uses " + string.Join(", ", librariesUsed) : "")}"
            : $"no kernel in the build and no library call");
        if (noKernel is not null)
        {
            return (null, compile, attempt.Rejected(EvaluationStage.Compile, FailureKind.KernelNotLaunched, noKernel, compile));
        }

        Report("loading the candidate in the ABI runner");
        var problem = attempt.Problem;
        var (cublas, cudnn) = LibraryHandlesFor(_options.LibraryPolicy, librariesUsed);
        var load = await _runner.LoadAsync(
            compile.LibraryPath!, problem.Info.Tensors, problem.Info.Outputs, problem.InputFiles, _options.RunnerRequestDeadline, problem.FreshInputFiles, cublas, cudnn, cancellationToken);
        attempt.Explain("load", load.Failure is null, load.Failure is null
            ? (FormattableString)$"library loaded; {problem.Info.Tensors.Count} tensors × {problem.InputFiles.Count} input sets uploaded, each buffer between 4 KiB canaries"
            : $"{load.Failure}: {load.Message}");
        return load.Failure is { } loadFailure
            ? (null, compile, attempt.Rejected(EvaluationStage.Load, loadFailure, load.Message ?? "The runner could not load the candidate.", compile))
            : (_runner, compile, null);
    }

    /// <summary>
    /// Which library handles the runner makes for an ABI candidate (<c>ctx->cublas</c>, <c>ctx->cudnn</c>): one for each
    /// library the static rules see the source call, and only where the policy allows libraries (pure-cuda rejected such
    /// sources before compiling anyway); the ABI promises NULL otherwise.
    /// </summary>
    internal static (bool Cublas, bool Cudnn) LibraryHandlesFor(LibraryPolicy policy, IReadOnlyList<string> librariesUsed) =>
        policy == LibraryPolicy.AllowLibraries
            ? (librariesUsed.Contains("cuBLAS"), librariesUsed.Contains("cuDNN"))
            : (false, false);

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
            problem.InputFiles, buildDirectory, _options.Worker.Device, _options.Worker.LoadDeadline, problem.FreshInputFiles,
            problem.Info.ScalarInputs, cancellationToken);
        var compile = load.Succeeded
            ? CompileResult.Success(sourcePath, load.BuildSeconds ?? 0, cacheHit: false, string.Empty, [])
            : CompileResult.Failed(load.Failure!.Value, 0, load.Message ?? string.Empty);
        attempt.Warnings.AddRange(load.Warnings);
        attempt.Explain("build", load.Succeeded, load.Succeeded
            ? (FormattableString)$"torch extension ({format}) built in {load.BuildSeconds ?? 0:F1} s; the runner poisons the CUDA caching allocator before every call"
            : $"{load.Failure}: {load.Message}");
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
            var checkedCalls = new List<RunnerRunResult>();
            for (var set = 0; set < problem.InputFiles.Count; set++)
            {
                Report($"running input set {set + 1} of {problem.InputFiles.Count}");
                IReadOnlyList<string> paths = [.. problem.Info.Outputs.Select((_, index) => Path.Combine(candidateDirectory, Invariant($"set{set}_out{index}.npy")))];
                var run = await runner.RunAsync(set, paths, _options.RunDeadline, cancellationToken);
                attempt.Explain("run", run.Failure is null, run.Failure is null
                    ? (FormattableString)$"input set {set} (seed {problem.Info.Seeds[set]}): outputs poisoned before the call; returned {run.ReturnCode ?? 0}, no CUDA error; canaries intact; inputs unchanged"
                    : $"input set {set} (seed {problem.Info.Seeds[set]}): {run.Failure}: {run.Message}");
                if (run.Failure is { } runFailure)
                {
                    var harnessCheck = new InputSetCheck(set, problem.Info.Seeds[set], [], runFailure, run.Message);
                    return attempt.Rejected(EvaluationStage.Run, runFailure, Invariant($"Input set {set} (seed {problem.Info.Seeds[set]}): {run.Message}"), compile, [harnessCheck]);
                }

                outputFiles.Add(paths);
                checkedCalls.Add(run);
            }

            // Own kernels: the build's symbols for an ABI module; the __global__ functions of the source for a torch extension.
            var format = request.Candidate.Format;
            IReadOnlyCollection<string> ownKernels = format == CandidateFormat.Abi
                ? compile?.Kernels.Select(kernel => kernel.Name).ToHashSet(StringComparer.Ordinal) ?? []
                : KernelDeclarations.Identifiers(request.Candidate.Source);
            var launches = KernelLaunchCheck.Check(checkedCalls, ownKernels, format);
            attempt.Explain("kernel_launched", launches.Rejection is null, $"{launches.Summary}");
            if (launches.Rejection is { } notLaunched)
            {
                return attempt.Rejected(EvaluationStage.Run, FailureKind.KernelNotLaunched, notLaunched, compile);
            }

            if (launches.Warning is { } launchWarning)
            {
                warnings.Add(launchWarning);
            }

            if (await CheckRepeatableAsync(attempt, runner, outputFiles[0], candidateDirectory, cancellationToken) is { } repeatFailure)
            {
                return repeatFailure with { Compile = compile };
            }

            // Fresh memory: data the candidate never saw, at addresses it saw before. The ABI runner writes it into input
            // set 0's buffers; the extension runner runs it as one more set, on copies that the caching allocator places
            // where earlier copies were (without profiling it: the client knows this set from the load). Both time the
            // call (call_us) for the cached-result comparison after timing. Checked with the other sets below.
            double? freshCallMicroseconds = null;
            var freshChecked = false;
            IReadOnlyList<long> checkedSeeds = problem.Info.Seeds;
            if (problem.FreshInputFiles is not null && problem.FreshSeed is { } freshSeed)
            {
                Report("running never-seen inputs at addresses seen before (fresh memory)");
                IReadOnlyList<string> paths = [.. problem.Info.Outputs.Select((_, index) => Path.Combine(candidateDirectory, Invariant($"fresh_out{index}.npy")))];
                var abi = runner as AbiRunnerClient;
                var fresh = abi is not null
                    ? await abi.RunFreshAsync(0, paths, _options.RunDeadline, cancellationToken)
                    : await runner.RunAsync(problem.InputFiles.Count, paths, _options.RunDeadline, cancellationToken);
                var where = abi is not null ? "written into input set 0's buffers" : "run as one more input set on recycled allocations";
                attempt.Explain("fresh_memory_run", fresh.Failure is null, fresh.Failure is null
                    ? (FormattableString)$"seed {freshSeed} {where} (data never seen){(fresh.CallMicroseconds is { } us ? Invariant($": call took {us:F2} µs") : "")}; outputs go to the float64 check"
                    : $"seed {freshSeed} {where}: {fresh.Failure}: {fresh.Message}");
                if (fresh.Failure is { } freshFailure)
                {
                    var harnessCheck = new InputSetCheck(outputFiles.Count, freshSeed, [], freshFailure, fresh.Message);
                    return attempt.Rejected(EvaluationStage.Run, freshFailure, Invariant($"Fresh inputs (seed {freshSeed}): {fresh.Message}"), compile, [harnessCheck]);
                }

                outputFiles.Add(paths);
                checkedSeeds = [.. problem.Info.Seeds, freshSeed];
                freshCallMicroseconds = fresh.CallMicroseconds;
                freshChecked = true;
            }

            Report("comparing with the float64 reference");
            var checks = await _worker.CheckAsync(outputFiles, checkedSeeds, request.Precision, cancellationToken);
            foreach (var set in checks)
            {
                foreach (var output in set.Outputs)
                {
                    attempt.Explain("tolerance", output.Passed,
                        $"input set {set.InputSetIndex}, output {output.OutputIndex}: max |error| {output.MaxAbsError:G3} vs allowed {output.AllowedMaxAbsError:G3} ({request.Precision}; eager float32 {output.ReferenceFloat32MaxAbsError:G3}); {output.PoisonedElements} poisoned, {output.NonFiniteElements} non-finite of {output.ElementCount}{(output.Passed ? "" : ": " + output.Message)}");
                }
            }

            var firstFailure = checks.SelectMany(set => set.Outputs.Where(output => !output.Passed).Select(output => (set, output))).FirstOrDefault();
            if (firstFailure.output is { } failed)
            {
                if (freshChecked && firstFailure.set.InputSetIndex == problem.Info.Seeds.Count)
                {
                    // Every ordinary set passed; only new data in old buffers failed: the result came from a cache keyed by address.
                    return attempt.Rejected(EvaluationStage.Check, FailureKind.StaleOutput, Invariant(
                        $"With inputs it had never seen (seed {firstFailure.set.Seed}) at addresses it had seen, output {failed.OutputIndex} was wrong although every ordinary input set passed: results are reused by address instead of computed. {failed.Message}"),
                        compile, checks);
                }

                var message = Invariant($"Input set {firstFailure.set.InputSetIndex} (seed {firstFailure.set.Seed}), output {failed.OutputIndex}: {failed.Message}");
                return attempt.Rejected(EvaluationStage.Check, failed.Failure ?? FailureKind.WrongResult, message, compile, checks);
            }

            if (request.CheckOnly)
            {
                attempt.Explain("timing", true, $"not run (check only): no checked timed calls, cached-result comparison, floors or speedups");
                return new EvaluationResult(
                    request.Candidate, problem.Info, request.Precision, EvaluationStage.Check, null, null, compile, checks,
                    null, null, null, Environment, warnings, _timeProvider.GetUtcNow()) { Explanation = [.. attempt.Explanation] };
            }

            Report("timing the candidate");
            var timed = await runner.TimeAsync(request.Timing, _options.RunDeadline, cancellationToken);
            if (timed.Failure is { } timeFailure)
            {
                return attempt.Rejected(EvaluationStage.Time, timeFailure, timed.Message ?? "The candidate failed while being timed.", compile, checks);
            }

            var candidateTiming = TimingStatistics.Summarize(timed.SamplesMicroseconds, request.Timing.FlushL2);
            var eventMilliseconds = timed.SamplesMicroseconds.Sum() / 1000;
            var clocksAgree = timed.WallMilliseconds is not { } wall || eventMilliseconds <= wall * WallClockSlack;
            attempt.Explain("timing", clocksAgree,
                $"{candidateTiming.SampleCount} samples, median {candidateTiming.MedianMicroseconds:F2} µs, IQR {candidateTiming.InterquartileRangeMicroseconds:F2} µs; {(request.Timing.FlushL2 ? "L2 flushed before each" : "warm L2")}; inputs rotated over {problem.InputFiles.Count} sets; events sum {eventMilliseconds:F2} ms vs host wall {(timed.WallMilliseconds is { } w ? w.ToString("F2", CultureInfo.InvariantCulture) + " ms" : "not reported")}");
            if (!clocksAgree)
            {
                return attempt.Rejected(EvaluationStage.Time, FailureKind.ImplausibleTime,
                    Invariant($"The device events add up to {eventMilliseconds:F2} ms but the whole timed loop took {timed.WallMilliseconds:F2} ms of host wall time: the event timings cannot be right."), compile, checks);
            }

            attempt.Explain("checked_timed_calls", true,
                $"{AbiRunner.CheckedTimedCalls} timed calls, picked at random, had their outputs compared, after being timed, with the checked run of their input set: all equal");
            if (CachedResultCheck.Check(candidateTiming.MedianMicroseconds, freshCallMicroseconds) is { } cached)
            {
                attempt.Explain("cached_result", false, $"{cached}");
                return attempt.Rejected(EvaluationStage.Time, FailureKind.CachedResult, cached, compile, checks);
            }

            attempt.Explain("cached_result", true, freshCallMicroseconds is { } freshUs
                ? (FormattableString)$"timed median {candidateTiming.MedianMicroseconds:F2} µs vs the fastest call on never-seen inputs {freshUs:F2} µs: repeated calls are not suspiciously faster"
                : $"not run (no fresh-memory call)");

            var reference = await TimeReferenceAsync(problem, request.Timing, cancellationToken);
            warnings.AddRange(reference.Warnings);
            attempt.Explain("reference_timing", true,
                $"same protocol in the worker: eager median {reference.Eager?.MedianMicroseconds:F2} µs, torch.compile median {(reference.Compiled is { } compiled ? compiled.MedianMicroseconds.ToString("F2", CultureInfo.InvariantCulture) + " µs" : "not measured")}");
            var result = new EvaluationResult(
                request.Candidate, problem.Info, request.Precision, EvaluationStage.Time, null, null, compile, checks,
                candidateTiming, reference.Eager, reference.Compiled, Environment, warnings, _timeProvider.GetUtcNow());

            var implausible = Environment.MeasuredPeakBandwidthBytesPerSecond is { } bandwidth
                ? ImplausibilityCheck.Check(candidateTiming.MedianMicroseconds, problem.Info.BytesMoved, bandwidth)
                : null;
            attempt.Explain("memory_floor", implausible is null, result.MemoryFloorMicroseconds is { } floor
                ? (FormattableString)$"median {candidateTiming.MedianMicroseconds:F2} µs vs floor {floor:F2} µs ({problem.Info.BytesMoved} bytes at {Environment.MeasuredPeakBandwidthBytesPerSecond / 1e12:F2} TB/s measured): {result.FractionOfFloor:P1} of the floor"
                : $"no floor: bandwidth not measured");
            if (implausible is not null)
            {
                return result with { Failure = FailureKind.ImplausibleTime, FailureMessage = implausible.Message, Explanation = [.. attempt.Explanation] };
            }

            var peakFlops = PeakComputeRate.FlopsPerSecond(Environment);
            var tooFast = problem.Info.Flops is > 0 and var flops && peakFlops is { } peak
                ? ImplausibilityCheck.CheckCompute(candidateTiming.MedianMicroseconds, flops, peak)
                : null;
            // Under the reference's compute floor is flagged, not rejected: structure-exploiting kernels legitimately do
            // fewer flops than the reference's algorithm (ImplausibilityCheck's remarks).
            attempt.Explain("compute_floor", true, result.ComputeFloorMicroseconds is { } computeFloor
                ? (FormattableString)$"median {candidateTiming.MedianMicroseconds:F2} µs vs the reference's floor {computeFloor:F2} µs ({problem.Info.Flops} flops at {peakFlops / 1e12:F1} TFLOPS, the GPU's fastest dense rate in any format){(tooFast is null ? "" : ": under it, flagged for a human look (fewer flops than the reference's algorithm)")}"
                : $"no floor: {(problem.Info.Flops is null ? "torch counted no flops (no matmul, convolution or attention)" : "no peak rate known for this GPU")}");
            if (tooFast is not null)
            {
                warnings.Add(tooFast.Message);
            }

            var conclusions = TimingAnalysis.Analyze(candidateTiming, request.Timing, Environment.EmptyKernelMicroseconds);
            warnings.AddRange(conclusions.Select(conclusion => conclusion.Message));
            attempt.Explain("timing_analysis", true, conclusions.Count == 0
                ? (FormattableString)$"no conclusions (dispersion, launch-overhead floor of {Environment.EmptyKernelMicroseconds:F2} µs, bimodality, sample count all fine)"
                : $"{string.Join("; ", conclusions.Select(conclusion => conclusion.Code))}");
            var suspicious = result.SpeedupOverEager > 10 && result.SpeedupOverCompiled is null or > 10;
            if (suspicious)
            {
                warnings.Add("Speedup above 10× over torch eager and torch.compile: check for result reuse or stream tricks before trusting it.");
            }

            attempt.Explain("speedup_sanity", true, $"{result.SpeedupOverEager:F2}× eager, {result.SpeedupOverCompiled:F2}× torch.compile{(suspicious ? ": above 10×, flagged for a human look" : "")}");
            return result with { Explanation = [.. attempt.Explanation] };
        }
        finally
        {
            TryDeleteDirectory(candidateDirectory);
        }
    }

    /// <summary>Runs input set 0 again and compares with the first run: outputs that move mean a race or an uninitialized read.</summary>
    private async Task<EvaluationResult?> CheckRepeatableAsync(Attempt attempt, ICandidateRunner runner, IReadOnlyList<string> firstRun, string directory, CancellationToken cancellationToken)
    {
        Report("running input set 1 again (repeatability)");
        IReadOnlyList<string> paths = [.. firstRun.Select((_, index) => Path.Combine(directory, Invariant($"set0_repeat_out{index}.npy")))];
        var run = await runner.RunAsync(0, paths, _options.RunDeadline, cancellationToken);
        if (run.Failure is { } failure)
        {
            attempt.Explain("repeatability", false, $"second run of input set 0: {failure}: {run.Message}");
            return attempt.Rejected(EvaluationStage.Run, failure, Invariant($"Input set 0, second run: {run.Message}"), compile: null);
        }

        for (var output = 0; output < firstRun.Count; output++)
        {
            if (RepeatabilityCheck.Compare(NpyFile.Read(firstRun[output]), NpyFile.Read(paths[output])) is { } moved)
            {
                attempt.Explain("repeatability", false, $"output {output}: {moved}");
                return attempt.Rejected(EvaluationStage.Check, FailureKind.NondeterministicOutput, Invariant($"Output {output}: {moved}"), compile: null);
            }
        }

        attempt.Explain("repeatability", true, $"input set 0 run twice: all {firstRun.Count} outputs repeat within {RepeatabilityCheck.RelativeTolerance:G2} of their largest magnitude");
        return null;
    }

    /// <summary>The problem with its lint findings added as warnings, those that concern <paramref name="precision"/>.</summary>
    private static LoadedProblem WarningsFor(LoadedProblem problem, PrecisionPolicy precision)
    {
        var lintWarnings = ProblemLintWarnings.For(problem.LintFindings, precision);
        return lintWarnings.Count == 0 ? problem : problem with { Info = problem.Info with { Warnings = [.. problem.Info.Warnings, .. lintWarnings] } };
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
            var seedCount = _options.Seeds.Count;
            var loaded = await _worker.LoadProblemAsync(fullPath, [.. _options.Seeds, _options.FreshSeed], directory, cancellationToken);
            var lint = await _worker.LintAsync(cancellationToken);
            loaded = loaded with
            {
                Info = loaded.Info with { Path = problemPath, Seeds = [.. loaded.Info.Seeds.Take(seedCount)] },
                InputFiles = [.. loaded.InputFiles.Take(seedCount)],
                FreshInputFiles = loaded.InputFiles.Count > seedCount ? loaded.InputFiles[seedCount] : null,
                FreshSeed = loaded.InputFiles.Count > seedCount ? _options.FreshSeed : null,
                LintFindings = lint.Findings,
            };
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
