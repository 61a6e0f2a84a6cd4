using System.Text.Json.Nodes;

namespace KernelForge.Evaluation.Runner;

// hello and measure_bandwidth: facts about the device, no candidate involved.
public sealed partial class AbiRunner
{
    /// <summary>Device-to-device copies timed by <c>measure_bandwidth</c>; the median is reported.</summary>
    public const int BandwidthRepetitions = 20;

    private JsonObject Hello(JsonObject request)
    {
        if (RequestFields.OptionalInt32(request, "device") is { } device && device != _device)
        {
            throw new RunnerRequestException(
                RunnerRequestException.BadRequest,
                $"This runner was started for device {Invariant(_device)}, not {Invariant(device)}; start one runner per device (--device).");
        }

        EnsureDevice();
        var info = CudaRuntime.QueryDevice(_device);
        return new JsonObject
        {
            ["environment"] = new JsonObject
            {
                ["gpu_name"] = info.GpuName,
                ["compute_capability"] = info.ComputeCapability,
                ["driver_version"] = info.DriverVersion,
                ["cuda_driver_version"] = info.CudaDriverVersion,
                ["cuda_runtime_version"] = info.CudaRuntimeVersion,
                ["cuda_runtime_path"] = CudaRuntime.LoadedRuntimePath,
                ["l2_cache_bytes"] = info.L2CacheBytes,
                ["multiprocessor_count"] = info.MultiprocessorCount,
                ["sm_clock_mhz"] = info.SmClockMegahertz,
                ["memory_clock_mhz"] = info.MemoryClockMegahertz,
            },
        };
    }

    /// <summary>
    /// Peak memory bandwidth as a device-to-device copy reaches it: bytes read plus bytes written over the median
    /// copy time of <see cref="BandwidthRepetitions"/> copies, after one warm-up copy.
    /// </summary>
    private JsonObject MeasureBandwidth(JsonObject request)
    {
        var bytes = RequestFields.RequiredInt64(request, "bytes");
        if (bytes <= 0)
        {
            throw new RunnerRequestException(RunnerRequestException.BadRequest, "bytes must be positive; a few hundred MiB gives a stable figure.");
        }

        EnsureDevice();
        nint source = 0;
        nint destination = 0;
        try
        {
            source = CudaRuntime.Malloc(bytes);
            destination = CudaRuntime.Malloc(bytes);
            using var start = CudaEvent.Create();
            using var end = CudaEvent.Create();
            CudaRuntime.CopyDeviceToDeviceAsync(destination, source, bytes, _stream);
            CudaRuntime.StreamSynchronize(_stream);

            var milliseconds = new double[BandwidthRepetitions];
            for (var i = 0; i < milliseconds.Length; i++)
            {
                start.Record(_stream);
                CudaRuntime.CopyDeviceToDeviceAsync(destination, source, bytes, _stream);
                end.Record(_stream);
                end.Synchronize();
                milliseconds[i] = CudaEvent.ElapsedMilliseconds(start, end);
            }

            var medianSeconds = Median(milliseconds) / 1000.0;
            return new JsonObject
            {
                ["bytes_per_second"] = FiniteOrNull(2.0 * bytes / medianSeconds),
                ["median_us"] = FiniteOrNull(medianSeconds * 1e6),
            };
        }
        finally
        {
            if (destination != 0)
            {
                _ = CudaRuntime.FreeCode(destination);
            }

            if (source != 0)
            {
                _ = CudaRuntime.FreeCode(source);
            }
        }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
