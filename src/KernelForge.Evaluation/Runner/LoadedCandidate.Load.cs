using System.Runtime.InteropServices;
using KernelForge.Core;
using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Runner;

// Loading: read the input sets, open the library, find the entry, put everything on the device.
internal sealed unsafe partial class LoadedCandidate
{
    private const string EntryName = "kforge_entry";
    private const string AbiVersionName = "kforge_abi_version";

    /// <summary>Loads <paramref name="libraryPath"/> and uploads every input set; the CUDA device must already be current.</summary>
    /// <remarks>
    /// With <paramref name="cublasStream"/> set (the candidate calls cuBLAS and libraries are allowed), the candidate gets
    /// a cuBLAS handle bound to that stream as <c>ctx->cublas</c> (<see cref="CublasHandle"/>); otherwise NULL. Likewise
    /// <paramref name="cudnnStream"/> and <c>ctx->cudnn</c> (<see cref="CudnnHandle"/>), which also stays NULL, after a
    /// warning, when the candidate links no cuDNN.
    /// </remarks>
    /// <exception cref="RunnerRequestException"><c>load_error</c> for the candidate's faults, <c>bad_request</c> for the request's.</exception>
    public static LoadedCandidate Load(
        string libraryPath,
        IReadOnlyList<TensorSpec> tensors,
        IReadOnlyList<TensorSpec> outputs,
        IReadOnlyList<IReadOnlyList<string>> inputFiles,
        IReadOnlyList<string>? freshInputFiles,
        int device,
        Action<string> warn,
        nint? cublasStream = null,
        nint? cudnnStream = null)
    {
        ArgumentNullException.ThrowIfNull(warn);
        ValidateSpecs(tensors, "input");
        ValidateSpecs(outputs, "output");
        var hostInputs = ReadInputSets(tensors, inputFiles);
        var freshInputs = freshInputFiles is null ? null : ReadInputSets(tensors, [freshInputFiles])[0];
        var library = OpenLibrary(libraryPath);
        var buffers = new List<DeviceBuffer>();
        CublasHandle? cublas = null;
        CudnnHandle? cudnn = null;
        var loaded = false;
        try
        {
            var entry = FindEntry(library, libraryPath);
            WarnUnlessRuntimeShared(library, libraryPath, warn);
            cublas = cublasStream is { } stream ? CublasHandle.Create(library, libraryPath, stream) : null;
            cudnn = cudnnStream is { } dnnStream ? CudnnHandle.Create(library, libraryPath, dnnStream, warn) : null;
            var deviceInputs = hostInputs.Select(set => set.Select(host =>
            {
                var buffer = DeviceBuffer.Allocate(host.SizeBytes);
                buffers.Add(buffer);
                buffer.Upload(host.Data);
                return buffer;
            }).ToArray()).ToArray();
            var deviceOutputs = outputs.Select(spec =>
            {
                var buffer = DeviceBuffer.Allocate(spec.SizeBytes);
                buffers.Add(buffer);
                return buffer;
            }).ToArray();
            var candidate = new LoadedCandidate(library, entry, device, tensors, outputs, hostInputs, deviceInputs, deviceOutputs)
            {
                LibraryPath = libraryPath,
                FreshInputs = freshInputs,
                Cublas = cublas,
                Cudnn = cudnn,
            };
            loaded = true;
            return candidate;
        }
        finally
        {
            if (!loaded)
            {
                cudnn?.Dispose();
                cublas?.Dispose();
                buffers.ForEach(buffer => buffer.Dispose());
                NativeLibrary.Free(library);
            }
        }
    }

    private static void ValidateSpecs(IReadOnlyList<TensorSpec> specs, string role)
    {
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (spec.Shape.Count > KfTensor.MaxDimensions || spec.Shape.Any(extent => extent < 0))
            {
                throw new RunnerRequestException(
                    RunnerRequestException.BadRequest,
                    $"{role} {Invariant(i)} '{spec.Name}' has shape {HostTensor.FormatShape(spec.Shape)}; the ABI takes 0 to {KfTensor.MaxDimensions} non-negative extents.");
            }
        }
    }

    private static HostTensor[][] ReadInputSets(IReadOnlyList<TensorSpec> tensors, IReadOnlyList<IReadOnlyList<string>> inputFiles)
    {
        if (inputFiles.Count == 0)
        {
            throw new RunnerRequestException(RunnerRequestException.BadRequest, "input_files is empty; send at least one input set.");
        }

        var sets = new HostTensor[inputFiles.Count][];
        for (var s = 0; s < inputFiles.Count; s++)
        {
            if (inputFiles[s].Count != tensors.Count)
            {
                throw new RunnerRequestException(
                    RunnerRequestException.BadRequest,
                    $"input set {Invariant(s)} has {Invariant(inputFiles[s].Count)} files but there are {Invariant(tensors.Count)} tensors; send one file per tensor, in order.");
            }

            sets[s] = new HostTensor[tensors.Count];
            for (var i = 0; i < tensors.Count; i++)
            {
                sets[s][i] = ReadInput(inputFiles[s][i], tensors[i], s, i);
            }
        }

        return sets;
    }

    private static HostTensor ReadInput(string path, TensorSpec spec, int set, int index)
    {
        HostTensor tensor;
        try
        {
            tensor = NpyFile.Read(path);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new RunnerRequestException(RunnerRequestException.BadRequest, $"input set {Invariant(set)} tensor {Invariant(index)} '{spec.Name}': {ex.Message}", ex);
        }

        if (!tensor.Matches(spec))
        {
            throw new RunnerRequestException(
                RunnerRequestException.BadRequest,
                $"{path} holds {tensor.DataType.ToProtocolName()} {HostTensor.FormatShape(tensor.Shape)}, but tensor {Invariant(index)} '{spec.Name}' is " +
                $"{spec.DataType.ToProtocolName()} {HostTensor.FormatShape(spec.Shape)}.");
        }

        return tensor;
    }

    private static nint OpenLibrary(string libraryPath)
    {
        if (!File.Exists(libraryPath))
        {
            throw new RunnerRequestException(RunnerRequestException.LoadError, $"{libraryPath} does not exist; compile the candidate first.");
        }

        try
        {
            return NativeLibrary.Load(libraryPath);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new RunnerRequestException(RunnerRequestException.LoadError, $"{libraryPath} could not be loaded: {ex.Message}", ex);
        }
    }

    private static delegate* unmanaged<KfTensor*, int, KfTensor*, int, nint, KfContext*, int> FindEntry(nint library, string libraryPath)
    {
        if (!NativeLibrary.TryGetExport(library, EntryName, out var entry))
        {
            throw new RunnerRequestException(
                RunnerRequestException.LoadError,
                $"{libraryPath} exports no {EntryName}; define the entry point with KFORGE_ENTRY from kforge_abi.h (extern \"C\", default visibility).");
        }

        // The KFORGE_ENTRY macro defines kforge_abi_version next to the entry; check it when it is there.
        if (NativeLibrary.TryGetExport(library, AbiVersionName, out var versionFunction))
        {
            var version = ((delegate* unmanaged<int>)versionFunction)();
            if (version != KfContext.CurrentAbiVersion)
            {
                throw new RunnerRequestException(
                    RunnerRequestException.LoadError,
                    $"{libraryPath} was built against KernelForge ABI version {Invariant(version)}; this runner speaks version {Invariant(KfContext.CurrentAbiVersion)}. Rebuild it with the current kforge_abi.h.");
            }
        }

        return (delegate* unmanaged<KfTensor*, int, KfTensor*, int, nint, KfContext*, int>)entry;
    }

    /// <summary>
    /// The candidate must use the runner's libcudart (same soname, already loaded), or its launches would go through a
    /// second runtime instance. Both handles resolve cudaLaunchKernel through their dependencies; different addresses
    /// mean two instances.
    /// </summary>
    private static void WarnUnlessRuntimeShared(nint library, string libraryPath, Action<string> warn)
    {
        const string Probe = "cudaLaunchKernel";
        if (CudaLibraryLoader.TryGetRuntime(out var runtime, out _)
            && NativeLibrary.TryGetExport(runtime, Probe, out var ours)
            && NativeLibrary.TryGetExport(library, Probe, out var theirs)
            && ours != theirs)
        {
            warn($"{libraryPath} resolves {Probe} to a different CUDA runtime than the runner's ({CudaLibraryLoader.RuntimePath}); " +
                "build it with -cudart shared against the same CUDA installation, or set KFORGE_CUDART to that installation's libcudart.");
        }
    }
}
