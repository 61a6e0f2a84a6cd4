using System.Globalization;
using KernelForge.Core;
using KernelForge.Evaluation.Compilation;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Statistics;

namespace KernelForge.Evaluation.Pipeline;

public sealed partial class EvaluationSession
{
    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Report("starting the reference worker");
        var hello = await StartStepAsync("The reference worker (python3 -m kforge_worker)", () => _worker.HelloAsync(cancellationToken));
        if (hello.TorchVersion is null)
        {
            throw new EnvironmentException($"{_options.Worker.PythonPath} cannot import torch: install PyTorch 2.x for it, or set KFORGE_PYTHON to a Python that has torch.");
        }

        if (!int.TryParse(hello.TorchVersion.Split('.')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var torchMajor) || torchMajor < 2)
        {
            throw new EnvironmentException($"torch {hello.TorchVersion} is too old: KernelForge needs torch 2.x (torch.export, torch.compile); upgrade it with pip install -U torch.");
        }

        if (hello.GpuName is null)
        {
            throw new EnvironmentException($"torch {hello.TorchVersion} sees no CUDA device: install a CUDA build of torch and check nvidia-smi.");
        }

        Report("starting the ABI runner");
        var gpu = await StartStepAsync("The ABI runner (kforge __runner)", () => _runner.HelloAsync(_options.RunnerRequestDeadline, cancellationToken: cancellationToken));
        CompilePool = CreateCompilePool(gpu.ComputeCapability);

        Report("measuring peak memory bandwidth");
        var bandwidth = await _runner.MeasureBandwidthAsync(_options.BandwidthProbeBytes, _options.RunnerRequestDeadline, cancellationToken);

        Report("measuring the empty-kernel floor");
        var emptyKernelMicroseconds = await MeasureEmptyKernelAsync(cancellationToken);

        Environment = new EnvironmentInfo(
            gpu.GpuName ?? hello.GpuName!,
            gpu.ComputeCapability ?? "unknown",
            gpu.DriverVersion ?? hello.DriverVersion,
            gpu.CudaRuntimeVersion,
            _options.Nvcc.Release?.ToString() ?? FirstLines(_options.Nvcc.VersionText, 1),
            hello.TorchVersion,
            hello.TorchCudaVersion,
            hello.PythonVersion,
            hello.WorkerVersion,
            hello.SmClockMegahertz ?? gpu.SmClockMegahertz,
            hello.MaxSmClockMegahertz,
            hello.MemoryClockMegahertz ?? gpu.MemoryClockMegahertz,
            gpu.L2CacheBytes,
            gpu.MultiprocessorCount,
            bandwidth,
            _options.DatasheetBandwidthBytesPerSecond ?? DatasheetBandwidth.ForGpu(gpu.GpuName ?? string.Empty),
            emptyKernelMicroseconds,
            hello.HostName ?? System.Environment.MachineName);
    }

    private async Task<double?> MeasureEmptyKernelAsync(CancellationToken cancellationToken)
    {
        var compile = await CompilePool.CompileAsync(_options.EmptyKernelSource, cancellationToken);
        if (!compile.Succeeded)
        {
            throw new EnvironmentException("nvcc could not build the built-in empty kernel (abi/empty_kernel.cu); check the CUDA toolkit installation. Log: " + FirstLines(compile.Log, 5));
        }

        var load = await _runner.LoadAsync(compile.LibraryPath!, [], [], [[]], _options.RunnerRequestDeadline, cancellationToken: cancellationToken);
        if (load.Failure is not null)
        {
            throw new EnvironmentException($"The ABI runner could not load the built-in empty kernel: {load.Message}");
        }

        var timing = await _runner.TimeAsync(TimingOptions.Default with { FlushL2 = false }, _options.RunDeadline, cancellationToken);
        return timing.Failure is null && timing.SamplesMicroseconds.Count > 0
            ? TimingStatistics.Summarize(timing.SamplesMicroseconds, l2Flushed: false).MedianMicroseconds
            : null;
    }

    private CompilePool CreateCompilePool(string? computeCapability)
    {
        var parts = (computeCapability ?? string.Empty).Split('.');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var minor))
        {
            throw new EnvironmentException($"The ABI runner reported compute capability '{computeCapability}', which kforge cannot build for; check the driver with nvidia-smi.");
        }

        var nvccOptions = _options.Nvcc.CreateOptions(_options.Nvcc.ArchitectureFor(major, minor), _options.AbiDirectory) with
        {
            CacheDirectory = _options.CompileCacheDirectory,
            ParallelSteps = _options.ParallelCompileSteps,
            CudnnLibraryPath = _options.CudnnLibraryPath,
        };
        return CompilePool.ForNvcc(new NvccCompiler(nvccOptions, _options.Nvcc.VersionText, _timeProvider), timeProvider: _timeProvider);
    }

    private static async Task<T> StartStepAsync<T>(string what, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (ProtocolErrorException ex) when (ex.Kind == "environment")
        {
            throw new EnvironmentException(ex.Message, ex);
        }
        catch (ProcessCrashedException ex)
        {
            throw new EnvironmentException($"{what} exited at start: {LastLine(ex.StderrTail)}", ex);
        }
        catch (ProcessTimeoutException ex)
        {
            throw new EnvironmentException($"{what} did not answer at start; check that the GPU is not hung (nvidia-smi).", ex);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new EnvironmentException($"{what} could not be started: {ex.Message}.", ex);
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";

    private static string FirstLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(count));
}
