using KernelForge.Core;
using System.Text.Json.Nodes;

namespace KernelForge.Evaluation.Runner;

// load, run and time: the candidate's side of the protocol.
public sealed partial class AbiRunner
{
    private JsonObject Load(JsonObject request)
    {
        var libraryPath = RequestFields.RequiredString(request, "library_path");
        var tensors = RequestFields.RequiredArray(request, "tensors").Select((node, i) => RequestFields.TensorSpec(node, $"tensors[{i}]")).ToList();
        var outputs = RequestFields.RequiredArray(request, "outputs").Select((node, i) => RequestFields.TensorSpec(node, $"outputs[{i}]")).ToList();
        var inputFiles = RequestFields.RequiredArray(request, "input_files")
            .Select((set, s) => set is JsonArray paths
                ? RequestFields.Strings(paths, $"input_files[{s}]")
                : throw new RunnerRequestException(RunnerRequestException.BadRequest, $"input_files[{s}] is not an array of paths."))
            .ToList();
        var freshInputFiles = request["fresh_input_files"] is JsonArray fresh ? RequestFields.Strings(fresh, "fresh_input_files") : null;
        var cublas = RequestFields.OptionalBool(request, "cublas") == true;
        var cudnn = RequestFields.OptionalBool(request, "cudnn") == true;

        EnsureDevice();
        // One candidate at a time: the previous one's library and memory go before the next one arrives.
        _candidate?.Dispose();
        _candidate = null;
        _candidate = LoadedCandidate.Load(
            libraryPath, tensors, outputs, inputFiles, freshInputFiles, _device, message => _log.WriteLine($"kforge __runner: warning: {message}"),
            cublas ? _stream : null, cudnn ? _stream : null);
        return [];
    }

    private JsonObject Run(JsonObject request)
    {
        var candidate = RequireCandidate();
        var inputSet = RequireInputSet(candidate, RequestFields.RequiredInt32(request, "input_set"));
        var outputPaths = RequestFields.Strings(RequestFields.RequiredArray(request, "output_paths"), "output_paths");
        if (outputPaths.Count != candidate.OutputCount)
        {
            throw new RunnerRequestException(
                RunnerRequestException.BadRequest,
                $"output_paths has {Invariant(outputPaths.Count)} paths but the candidate has {Invariant(candidate.OutputCount)} outputs; send one path per output.");
        }

        EnsureDevice();
        if (RequestFields.OptionalBool(request, "fresh") == true)
        {
            var (outcome, callMicroseconds) = candidate.RunFresh(inputSet, outputPaths, _stream);
            return OutcomeFields(outcome, new JsonObject { ["call_us"] = callMicroseconds is { } us ? FiniteOrNull(us) : null });
        }

        // Launches are counted on checked calls only; the timed loop runs with no CUPTI callback attached.
        CallOutcome checkedOutcome;
        JsonObject launches;
        using (var counter = LaunchCounter.TryStart(out var notCounted))
        {
            checkedOutcome = candidate.Run(inputSet, outputPaths, _stream);
            launches = counter is null
                ? new JsonObject { ["launches_not_counted"] = notCounted }
                : new JsonObject
                {
                    ["launches"] = counter.Launches,
                    ["launched_kernels"] = new JsonObject([.. counter.Kernels.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                        .Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)JsonValue.Create(pair.Value)))]),
                };
        }

        return OutcomeFields(checkedOutcome, launches);
    }

    /// <summary>
    /// The timing protocol (TimingOptions): warm-up calls, then per sample: flush L2 on the harness stream, record the
    /// start event, call, synchronize the device, record the end event. Input sets rotate 0, 1, 2, 0, …
    /// </summary>
    private JsonObject Time(JsonObject request)
    {
        var candidate = RequireCandidate();
        var options = RequestFields.Timing(request["timing"]);
        EnsureDevice();

        // Writing factor × L2 bytes evicts whatever the previous call left in L2 (KernelBench's clear_l2_cache).
        var flushBytes = options.FlushL2 ? LoadedCandidate.L2FlushBytes(options.L2FlushFactor, _device) : 0;
        if (options.FlushL2 && flushBytes == 0)
        {
            _log.WriteLine("kforge __runner: warning: the L2 size is unknown, so samples are taken without flushing L2.");
        }

        var flush = flushBytes > 0 ? CudaRuntime.Malloc(flushBytes) : 0;
        try
        {
            using var start = CudaEvent.Create();
            using var end = CudaEvent.Create();
            var warmup = candidate.WarmUp(Enumerable.Range(0, options.WarmupCalls).Select(call => call % candidate.InputSetCount), _stream);
            if (warmup.HasFailure)
            {
                return TimingFailure(warmup, flush != 0);
            }

            // A random few of the timed calls (among the first MinSamples, which are always taken) have their outputs
            // compared with the checked run of the same input set, after the end event: the candidate cannot tell which.
            var checkedSamples = ChooseCheckedSamples(Math.Min(options.MinSamples, options.MaxSamples));
            var sampleIndex = 0;
            var result = TimingLoop.Run(
                options.MaxSamples,
                candidate.InputSetCount,
                inputSet => TakeSampleMicroseconds(candidate, inputSet, flush, flushBytes, start, end, checkedSamples.Contains(sampleIndex++)),
                _stopRuleFactory(options),
                _timeProvider);
            return OutcomeFields(CallOutcome.Succeeded, new JsonObject
            {
                ["samples_us"] = new JsonArray([.. result.SamplesMicroseconds.Select(FiniteOrNull)]),
                ["l2_flushed"] = flush != 0,
                ["wall_ms"] = FiniteOrNull(result.WallMilliseconds),
            });
        }
        catch (TimedCallFailedException ex)
        {
            return TimingFailure(ex.Outcome, flush != 0);
        }
        finally
        {
            if (flush != 0 && !_contextLost)
            {
                _ = CudaRuntime.FreeCode(flush);
            }
        }
    }

    /// <summary>How many timed calls have their outputs checked.</summary>
    internal const int CheckedTimedCalls = 3;

    /// <summary><see cref="CheckedTimedCalls"/> distinct sample indexes below <paramref name="count"/>, drawn at random per timing request.</summary>
    internal static HashSet<int> ChooseCheckedSamples(int count)
    {
        var indexes = Enumerable.Range(0, Math.Max(count, 0)).ToArray();
        Random.Shared.Shuffle(indexes);
        return [.. indexes.Take(CheckedTimedCalls)];
    }

    private double TakeSampleMicroseconds(LoadedCandidate candidate, int inputSet, nint flush, long flushBytes, CudaEvent start, CudaEvent end, bool checkOutputs)
    {
        if (flush != 0)
        {
            CudaRuntime.MemsetAsync(flush, 0, flushBytes, _stream);
        }

        start.Record(_stream);
        var returnCode = candidate.Invoke(inputSet, _stream);
        // The whole device, not just the stream: work the candidate put on other streams counts too.
        var synchronizeError = CudaRuntime.DeviceSynchronizeCode();
        if (synchronizeError != 0)
        {
            throw new TimedCallFailedException(candidate.Complete(returnCode, synchronizeError));
        }

        end.Record(_stream);
        end.Synchronize();
        var outcome = candidate.Complete(returnCode, 0);
        if (outcome.HasFailure)
        {
            throw new TimedCallFailedException(outcome);
        }

        var microseconds = CudaEvent.ElapsedMilliseconds(start, end) * 1000.0;
        if (checkOutputs && candidate.CompareWithCheckedOutputs(inputSet) is { } mismatch)
        {
            throw new TimedCallFailedException(CallOutcome.Failed(FailureKind.TimedRunMismatch, mismatch, returnCode));
        }

        return microseconds;
    }

    private JsonObject TimingFailure(CallOutcome outcome, bool l2Flushed) => OutcomeFields(outcome, new JsonObject
    {
        ["samples_us"] = new JsonArray(),
        ["l2_flushed"] = l2Flushed,
        ["wall_ms"] = null,
    });

    /// <summary>Adds the outcome fields (<c>failure</c>, <c>message</c>, <c>return_code</c>, <c>runner_exiting</c>) to <paramref name="fields"/>.</summary>
    private JsonObject OutcomeFields(CallOutcome outcome, JsonObject fields)
    {
        if (outcome.Fatal)
        {
            MarkContextLost();
        }

        fields["failure"] = outcome.Failure?.Value;
        fields["message"] = outcome.Message;
        fields["return_code"] = outcome.ReturnCode;
        fields["runner_exiting"] = outcome.Fatal;
        return fields;
    }

    private LoadedCandidate RequireCandidate() =>
        _candidate ?? throw new RunnerRequestException(RunnerRequestException.BadRequest, "No library is loaded; send 'load' first (a restarted runner has none).");

    private static int RequireInputSet(LoadedCandidate candidate, int inputSet) =>
        inputSet >= 0 && inputSet < candidate.InputSetCount
            ? inputSet
            : throw new RunnerRequestException(
                RunnerRequestException.BadRequest,
                $"input_set {Invariant(inputSet)} does not exist; the loaded candidate has {Invariant(candidate.InputSetCount)} input sets.");
}
