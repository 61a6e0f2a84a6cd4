using System.Globalization;
using System.Runtime.InteropServices;
using KernelForge.Core;
using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// One candidate library loaded into the runner, with its input sets on the device (and on the host, to detect
/// writes to inputs) and its output buffers: everything <c>run</c> and <c>time</c> need.
/// </summary>
/// <remarks>Owns the library handle and all device memory; <see cref="Dispose"/> releases both. Not thread-safe.</remarks>
internal sealed unsafe partial class LoadedCandidate : IDisposable
{
    /// <summary>Bytes of the poison tile repeated over each output (<see cref="DeviceBuffer.FillRepeating"/>).</summary>
    private const long PoisonTileBytes = 16L << 20;

    private readonly nint _library;
    private readonly delegate* unmanaged<KfTensor*, int, KfTensor*, int, nint, KfContext*, int> _entry;
    private readonly int _device;
    private readonly IReadOnlyList<TensorSpec> _tensors;
    private readonly IReadOnlyList<TensorSpec> _outputs;
    private readonly HostTensor[][] _hostInputs;
    private readonly DeviceBuffer[][] _deviceInputs;
    private readonly DeviceBuffer[] _deviceOutputs;
    private readonly byte[][] _outputPoison;
    private readonly KfTensor[][] _inputTensors;
    private readonly KfTensor[] _outputTensors;
    private readonly KfTensor[] _inputScratch;
    private readonly KfTensor[] _outputScratch;
    private readonly WorkspaceArena _workspace = new();
    private readonly HostBytes?[][] _checkedOutputs;
    private GCHandle _workspaceHandle;

    private LoadedCandidate(
        nint library,
        delegate* unmanaged<KfTensor*, int, KfTensor*, int, nint, KfContext*, int> entry,
        int device,
        IReadOnlyList<TensorSpec> tensors,
        IReadOnlyList<TensorSpec> outputs,
        HostTensor[][] hostInputs,
        DeviceBuffer[][] deviceInputs,
        DeviceBuffer[] deviceOutputs)
    {
        _library = library;
        _entry = entry;
        _device = device;
        _tensors = tensors;
        _outputs = outputs;
        _hostInputs = hostInputs;
        _deviceInputs = deviceInputs;
        _deviceOutputs = deviceOutputs;
        // One tile per output, repeated over the buffer: an 8 GiB output needs no 8 GiB host copy of its poison.
        _outputPoison = [.. outputs.Select(spec => PoisonPattern.Create(spec.DataType, Math.Min(spec.ElementCount, PoisonTileBytes / spec.DataType.ElementBytes())))];
        _inputTensors = [.. deviceInputs.Select(set => set.Select((buffer, i) => KfTensor.Contiguous(buffer.Pointer, tensors[i])).ToArray())];
        _outputTensors = [.. deviceOutputs.Select((buffer, i) => KfTensor.Contiguous(buffer.Pointer, outputs[i]))];
        _inputScratch = new KfTensor[tensors.Count];
        _outputScratch = new KfTensor[outputs.Count];
        _checkedOutputs = [.. deviceInputs.Select(_ => new HostBytes?[outputs.Count])];
        _workspaceHandle = GCHandle.Alloc(_workspace);
    }

    public string LibraryPath { get; private init; } = string.Empty;

    public int InputSetCount => _deviceInputs.Length;

    public int OutputCount => _outputs.Count;

    /// <summary>
    /// Inputs the candidate has never seen (the worker's extra seed), for <see cref="RunFresh"/>; null when the request
    /// sent none.
    /// </summary>
    public HostTensor[]? FreshInputs { get; init; }

    /// <summary>The handle passed as <c>ctx->cublas</c>; null (NULL) unless the load asked for one.</summary>
    private CublasHandle? Cublas { get; init; }

    /// <summary>The handle passed as <c>ctx->cudnn</c>; null (NULL) unless the load asked for one and the candidate links cuDNN.</summary>
    private CudnnHandle? Cudnn { get; init; }

    /// <summary>
    /// Calls the entry once on <paramref name="stream"/> with input set <paramref name="inputSet"/> and returns what it
    /// returned. The work may still be running: follow with a device synchronize and <see cref="Complete"/>.
    /// </summary>
    public int Invoke(int inputSet, nint stream)
    {
        _workspace.BeginCall();
        // A stale error left by the harness must not be blamed on the candidate.
        _ = CudaRuntime.GetLastErrorCode();
        // Fresh descriptors every call: the candidate gets writable copies, so scribbling on them cannot leak into the next call.
        _inputTensors[inputSet].CopyTo(_inputScratch, 0);
        _outputTensors.CopyTo(_outputScratch, 0);
        var context = new KfContext
        {
            AbiVersion = KfContext.CurrentAbiVersion,
            Device = _device,
            Workspace = WorkspaceArena.Callback,
            Cublas = Cublas is null ? null : (void*)Cublas.Handle,
            Harness = (void*)GCHandle.ToIntPtr(_workspaceHandle),
            Cudnn = Cudnn is null ? null : (void*)Cudnn.Handle,
        };
        fixed (KfTensor* inputs = _inputScratch)
        fixed (KfTensor* outputs = _outputScratch)
        {
            return _entry(inputs, _inputScratch.Length, outputs, _outputScratch.Length, stream, &context);
        }
    }

    /// <summary>
    /// Untimed calls on <paramref name="inputSets"/>, in order, each followed by a device synchronize; the first failure, or
    /// <see cref="CallOutcome.Succeeded"/>. The timing protocol's warm-up and the calls before the fresh-memory call.
    /// </summary>
    public CallOutcome WarmUp(IEnumerable<int> inputSets, nint stream)
    {
        foreach (var inputSet in inputSets)
        {
            var outcome = Complete(Invoke(inputSet, stream), CudaRuntime.DeviceSynchronizeCode());
            if (outcome.HasFailure)
            {
                return outcome;
            }
        }

        return CallOutcome.Succeeded;
    }

    /// <summary>
    /// Bytes to write to evict L2 (KernelBench's clear_l2_cache): <paramref name="factor"/> × the device's L2 size, rounded
    /// up; 0 when the size is unknown.
    /// </summary>
    public static long L2FlushBytes(double factor, int device) =>
        CudaRuntime.TryGetAttribute(CudaDeviceAttribute.L2CacheSizeBytes, device) is > 0 and var l2Bytes ? (long)Math.Ceiling(factor * l2Bytes) : 0;

    /// <summary>Classifies a finished call: <paramref name="synchronizeError"/> is what <c>cudaDeviceSynchronize</c> returned after it.</summary>
    public CallOutcome Complete(int returnCode, int synchronizeError)
    {
        if (synchronizeError != 0)
        {
            // Errors from kernels (illegal address, launch failure, trap, …) surface here and are sticky: the context
            // cannot be used again, so the runner answers and exits, and the orchestrator starts a fresh one.
            return CallOutcome.Failed(
                FailureKind.RuntimeError,
                $"The device reported {CudaRuntime.Describe(synchronizeError)} after kforge_entry returned {Invariant(returnCode)}; " +
                "the CUDA context is lost, so the runner exits. Check indexing against the tensor shapes (compute-sanitizer finds the faulting access).",
                returnCode,
                fatal: true);
        }

        var lastError = CudaRuntime.GetLastErrorCode();
        _workspace.EndCall();
        if (returnCode != 0)
        {
            return CallOutcome.Failed(
                FailureKind.RuntimeError,
                $"kforge_entry returned {Invariant(returnCode)} (read as a cudaError_t: {CudaRuntime.Describe(returnCode)}).",
                returnCode);
        }

        if (lastError != 0)
        {
            return CallOutcome.Failed(
                FailureKind.RuntimeError,
                $"A CUDA call during kforge_entry failed with {CudaRuntime.Describe(lastError)}, but kforge_entry returned 0; " +
                "check launch configurations and return cudaGetLastError().",
                returnCode);
        }

        return CallOutcome.Succeeded;
    }

    /// <summary>
    /// The protocol's <c>run</c>: poison outputs, reset canaries, call, synchronize, then report the first of
    /// runtime error, out-of-bounds write, modified input; when none, write the outputs to <paramref name="outputPaths"/>.
    /// </summary>
    public CallOutcome Run(int inputSet, IReadOnlyList<string> outputPaths, nint stream)
    {
        var (outcome, _) = RunChecked(inputSet, _hostInputs[inputSet], outputPaths, stream, keepOutputs: true);
        return outcome;
    }

    /// <summary>Calls on seen inputs, untimed, right before the fresh call (see <see cref="RunFresh"/>).</summary>
    public const int FreshWarmUpCalls = 3;

    /// <summary>
    /// The fresh-memory check: writes <see cref="FreshInputs"/> into input set <paramref name="inputSet"/>'s buffers (addresses
    /// the candidate has seen, holding data it has not), runs as <see cref="Run"/> does and times that call with events;
    /// then times calls on the fresh data rotated by one and by two elements (<see cref="FreshRotation"/>), also never seen,
    /// and puts the set's own data back. A result cached by address comes back stale, and the worker's check against the
    /// fresh seed's reference rejects it; the fastest of the calls is the baseline that repeated calls are compared with.
    /// </summary>
    /// <remarks>
    /// Each call is timed as a timed sample is (AbiRunner.TakeSampleMicroseconds): an L2-flush memset queued on the stream
    /// before the start event, so the host's launch overhead hides behind it, and a device synchronize before the end
    /// event. Before them, <see cref="FreshWarmUpCalls"/> untimed calls on another set, which the candidate has seen, bring
    /// the GPU's clocks up. Timed as a lone call on an idle GPU instead, an honest 13 µs relu took 70 µs, 5.3× its timed
    /// median (H100, 2026-12-07: 50 of 50 honest variants rejected). With the warm-up but one call, 2 of 50 still took
    /// 44.8 and 120.4 µs against 12.7 µs medians while 16 compiles loaded the host: the end event waits for the host's
    /// synchronize to return, so one late wake-up multiplies a tiny kernel's time. The fastest of three rarely has one.
    /// A cache misses on all three: each sees bytes it never saw. A rotated call that fails without losing the context
    /// only drops its time (rotation can break properties of the data, such as sortedness, that a kernel may assume).
    /// </remarks>
    public (CallOutcome Outcome, double? CallMicroseconds) RunFresh(int inputSet, IReadOnlyList<string> outputPaths, nint stream)
    {
        var fresh = FreshInputs ?? throw new RunnerRequestException(RunnerRequestException.BadRequest, "This load sent no fresh_input_files, so there is nothing fresh to run.");
        for (var i = 0; i < fresh.Length; i++)
        {
            _deviceInputs[inputSet][i].Upload(fresh[i].Data);
        }

        var leadInBytes = 0L;
        var leadIn = (nint)0;
        try
        {
            if (_deviceInputs.Length > 1
                && WarmUp(Enumerable.Repeat((inputSet + 1) % _deviceInputs.Length, FreshWarmUpCalls), stream) is { HasFailure: true } warm)
            {
                return (warm, null);
            }

            leadInBytes = L2FlushBytes(TimingOptions.Default.L2FlushFactor, _device);
            leadIn = leadInBytes > 0 ? CudaRuntime.Malloc(leadInBytes) : 0;
            var (outcome, fastest) = RunChecked(inputSet, fresh, outputPaths, stream, keepOutputs: false, leadIn, leadInBytes);
            if (outcome.HasFailure || !FreshRotation.Usable(fresh))
            {
                return (outcome, fastest);
            }

            foreach (var shift in FreshRotation.ShiftsElements)
            {
                for (var i = 0; i < fresh.Length; i++)
                {
                    _deviceInputs[inputSet][i].UploadRotated(fresh[i].Data, (long)shift * fresh[i].DataType.ElementBytes());
                }

                var (rotated, callMicroseconds) = TimeCall(inputSet, stream, leadIn, leadInBytes);
                if (rotated.Fatal)
                {
                    return (rotated, null);
                }

                if (!rotated.HasFailure && callMicroseconds < fastest)
                {
                    fastest = callMicroseconds;
                }
            }

            return (outcome, fastest);
        }
        finally
        {
            if (leadIn != 0)
            {
                _ = CudaRuntime.FreeCode(leadIn);
            }

            for (var i = 0; i < fresh.Length; i++)
            {
                _deviceInputs[inputSet][i].Upload(_hostInputs[inputSet][i].Data);
            }

            CudaRuntime.DeviceSynchronize();
        }
    }

    /// <summary>
    /// Compares the outputs now on the device with the checked outputs of <paramref name="inputSet"/> (those of its last
    /// <see cref="Run"/>); null when they agree within <see cref="Pipeline.RepeatabilityCheck.RelativeTolerance"/>.
    /// </summary>
    public string? CompareWithCheckedOutputs(int inputSet)
    {
        for (var o = 0; o < _deviceOutputs.Length; o++)
        {
            if (_checkedOutputs[inputSet][o] is not { } expected)
            {
                continue;
            }

            var actual = new HostTensor(_outputs[o].Shape, _outputs[o].DataType, _deviceOutputs[o].Download());
            if (Pipeline.RepeatabilityCheck.Compare(new HostTensor(_outputs[o].Shape, _outputs[o].DataType, expected), actual) is { } moved)
            {
                return $"output {Invariant(o)} '{_outputs[o].Name}' of a timed call on input set {Invariant(inputSet)} differs from the checked run of that set: {moved}. " +
                    "The candidate must compute the same result on every call, timed or not.";
            }
        }

        return null;
    }

    // leadIn: device memory that a memset of leadInBytes fills on the stream right before the start event (the timed
    // samples' L2 flush), or 0 for none.
    private (CallOutcome Outcome, double? CallMicroseconds) RunChecked(int inputSet, HostTensor[] expectedInputs, IReadOnlyList<string> outputPaths, nint stream, bool keepOutputs, nint leadIn = 0, long leadInBytes = 0)
    {
        for (var o = 0; o < _deviceOutputs.Length; o++)
        {
            _deviceOutputs[o].FillRepeating(_outputPoison[o]);
        }

        var (outcome, callMicroseconds) = TimeCall(inputSet, stream, leadIn, leadInBytes);
        if (outcome.HasFailure)
        {
            return (outcome, null);
        }

        if (FindModifiedInput(inputSet, expectedInputs) is { } modified)
        {
            return (CallOutcome.Failed(FailureKind.InputModified, modified, outcome.ReturnCode), null);
        }

        for (var o = 0; o < _deviceOutputs.Length; o++)
        {
            var bytes = _deviceOutputs[o].Download();
            NpyFile.Write(outputPaths[o], new HostTensor(_outputs[o].Shape, _outputs[o].DataType, bytes));
            if (keepOutputs)
            {
                _checkedOutputs[inputSet][o] = bytes;
            }
        }

        return (outcome, callMicroseconds);
    }

    public void Dispose()
    {
        _workspace.Dispose();
        foreach (var buffer in AllBuffers())
        {
            buffer.Dispose();
        }

        if (_workspaceHandle.IsAllocated)
        {
            _workspaceHandle.Free();
        }

        // Before the library goes: the handles' functions live in the cuBLAS and cuDNN it brought in.
        Cudnn?.Dispose();
        Cublas?.Dispose();
        NativeLibrary.Free(_library);
    }

    // One call timed with events (the timed samples' way: leadIn as in RunChecked), then the canaries checked; the
    // outcome's failure, if any, and the time otherwise. Canaries are reset first; outputs are neither poisoned nor read.
    private (CallOutcome Outcome, double? CallMicroseconds) TimeCall(int inputSet, nint stream, nint leadIn, long leadInBytes)
    {
        foreach (var buffer in AllBuffers())
        {
            buffer.ResetCanaries();
        }

        // The uploads and memsets before this ran on the legacy default stream; finish them before the candidate starts
        // (the blocking harness stream would wait for them anyway; this keeps the order explicit).
        CudaRuntime.DeviceSynchronize();
        using var start = CudaEvent.Create();
        using var end = CudaEvent.Create();
        if (leadIn != 0)
        {
            CudaRuntime.MemsetAsync(leadIn, 0, leadInBytes, stream);
        }

        start.Record(stream);
        var returnCode = Invoke(inputSet, stream);
        var outcome = Complete(returnCode, CudaRuntime.DeviceSynchronizeCode());
        if (outcome.HasFailure)
        {
            return (outcome, null);
        }

        end.Record(stream);
        end.Synchronize();
        var callMicroseconds = CudaEvent.ElapsedMilliseconds(start, end) * 1000.0;
        return FindCanaryDamage(inputSet) is { } damage
            ? (CallOutcome.Failed(FailureKind.OutOfBoundsWrite, damage, returnCode), null)
            : (outcome, callMicroseconds);
    }

    private IEnumerable<DeviceBuffer> AllBuffers() => _deviceOutputs.Concat(_deviceInputs.SelectMany(set => set));

    private string? FindCanaryDamage(int inputSet)
    {
        for (var o = 0; o < _deviceOutputs.Length; o++)
        {
            if (_deviceOutputs[o].DescribeCanaryDamage() is { } damage)
            {
                return $"kforge_entry wrote out of bounds of output {Invariant(o)} '{_outputs[o].Name}': {damage}.";
            }
        }

        for (var s = 0; s < _deviceInputs.Length; s++)
        {
            for (var i = 0; i < _deviceInputs[s].Length; i++)
            {
                if (_deviceInputs[s][i].DescribeCanaryDamage() is { } damage)
                {
                    var which = s == inputSet ? string.Empty : $" of input set {Invariant(s)}, which was not even passed to this call";
                    return $"kforge_entry wrote out of bounds of input {Invariant(i)} '{_tensors[i].Name}'{which}: {damage}.";
                }
            }
        }

        return null;
    }

    private string? FindModifiedInput(int inputSet, HostTensor[] expectedInputs)
    {
        for (var i = 0; i < _deviceInputs[inputSet].Length; i++)
        {
            var expected = expectedInputs[i].Data;
            var actual = _deviceInputs[inputSet][i].Download();
            var first = expected.CommonPrefixLength(actual);
            if (first == expected.Length)
            {
                continue;
            }

            var differing = expected.CountDifferences(actual);

            // Put the input back so that a later call on this set starts from the real data.
            _deviceInputs[inputSet][i].Upload(expected);
            return $"kforge_entry changed input {Invariant(i)} '{_tensors[i].Name}' ({Invariant(differing)} of {Invariant(expected.Length)} bytes differ, " +
                $"the first at byte {Invariant(first)}); inputs are read-only: write only outputs, and take scratch memory from ctx->workspace.";
        }

        return null;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
