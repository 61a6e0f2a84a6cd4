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
        _outputPoison = [.. outputs.Select(spec => PoisonPattern.Create(spec.DataType, spec.ElementCount))];
        _inputTensors = [.. deviceInputs.Select(set => set.Select((buffer, i) => KfTensor.Contiguous(buffer.Pointer, tensors[i])).ToArray())];
        _outputTensors = [.. deviceOutputs.Select((buffer, i) => KfTensor.Contiguous(buffer.Pointer, outputs[i]))];
        _inputScratch = new KfTensor[tensors.Count];
        _outputScratch = new KfTensor[outputs.Count];
        _workspaceHandle = GCHandle.Alloc(_workspace);
    }

    public string LibraryPath { get; private init; } = string.Empty;

    public int InputSetCount => _deviceInputs.Length;

    public int OutputCount => _outputs.Count;

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
            Cublas = null,
            Harness = (void*)GCHandle.ToIntPtr(_workspaceHandle),
        };
        fixed (KfTensor* inputs = _inputScratch)
        fixed (KfTensor* outputs = _outputScratch)
        {
            return _entry(inputs, _inputScratch.Length, outputs, _outputScratch.Length, stream, &context);
        }
    }

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
        for (var o = 0; o < _deviceOutputs.Length; o++)
        {
            _deviceOutputs[o].Upload(_outputPoison[o]);
        }

        foreach (var buffer in AllBuffers())
        {
            buffer.ResetCanaries();
        }

        // The uploads and memsets above ran on the legacy default stream, which the non-blocking harness stream does
        // not wait for; finish them before the candidate starts.
        CudaRuntime.DeviceSynchronize();
        var returnCode = Invoke(inputSet, stream);
        var outcome = Complete(returnCode, CudaRuntime.DeviceSynchronizeCode());
        if (outcome.HasFailure)
        {
            return outcome;
        }

        if (FindCanaryDamage(inputSet) is { } damage)
        {
            return CallOutcome.Failed(FailureKind.OutOfBoundsWrite, damage, returnCode);
        }

        if (FindModifiedInput(inputSet) is { } modified)
        {
            return CallOutcome.Failed(FailureKind.InputModified, modified, returnCode);
        }

        for (var o = 0; o < _deviceOutputs.Length; o++)
        {
            NpyFile.Write(outputPaths[o], new HostTensor(_outputs[o].Shape, _outputs[o].DataType, _deviceOutputs[o].Download()));
        }

        return outcome;
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

        NativeLibrary.Free(_library);
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

    private string? FindModifiedInput(int inputSet)
    {
        for (var i = 0; i < _deviceInputs[inputSet].Length; i++)
        {
            var expected = _hostInputs[inputSet][i].Data;
            var actual = _deviceInputs[inputSet][i].Download();
            var first = expected.AsSpan().CommonPrefixLength(actual);
            if (first == expected.Length)
            {
                continue;
            }

            var differing = 0L;
            for (var b = first; b < expected.Length; b++)
            {
                differing += expected[b] != actual[b] ? 1 : 0;
            }

            // Put the input back so that a later call on this set starts from the real data.
            _deviceInputs[inputSet][i].Upload(expected);
            return $"kforge_entry changed input {Invariant(i)} '{_tensors[i].Name}' ({Invariant(differing)} of {Invariant(expected.LongLength)} bytes differ, " +
                $"the first at byte {Invariant(first)}); inputs are read-only: write only outputs, and take scratch memory from ctx->workspace.";
        }

        return null;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
