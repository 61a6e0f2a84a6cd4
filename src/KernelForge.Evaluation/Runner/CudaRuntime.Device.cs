using System.Globalization;

namespace KernelForge.Evaluation.Runner;

// Device facts for the runner's hello: attributes, versions and the GPU name.
public static partial class CudaRuntime
{
    private const string NvidiaDriverVersionFile = "/proc/driver/nvidia/version";

    /// <summary>Reads what can be read about <paramref name="device"/>; attributes the runtime refuses are null.</summary>
    internal static CudaDeviceInfo QueryDevice(int device)
    {
        var major = TryGetAttribute(CudaDeviceAttribute.ComputeCapabilityMajor, device);
        var minor = TryGetAttribute(CudaDeviceAttribute.ComputeCapabilityMinor, device);
        return new CudaDeviceInfo(
            TryGetDeviceName(device),
            major is { } ccMajor && minor is { } ccMinor ? Invariant($"{ccMajor}.{ccMinor}") : null,
            ReadKernelModuleVersion(),
            FormatCudaVersion(DriverVersion()),
            FormatCudaVersion(RuntimeVersion()),
            TryGetAttribute(CudaDeviceAttribute.L2CacheSizeBytes, device),
            TryGetAttribute(CudaDeviceAttribute.MultiprocessorCount, device),
            KilohertzToMegahertz(TryGetAttribute(CudaDeviceAttribute.ClockRateKilohertz, device)),
            KilohertzToMegahertz(TryGetAttribute(CudaDeviceAttribute.MemoryClockRateKilohertz, device)));
    }

    /// <summary>CUDA encodes versions as 1000 × major + 10 × minor: 13000 is "13.0", 12080 is "12.8".</summary>
    internal static string FormatCudaVersion(int version) => Invariant($"{version / 1000}.{version % 1000 / 10}");

    /// <summary>The driver version from the first line of /proc/driver/nvidia/version, e.g. "580.159.04".</summary>
    internal static string? ParseKernelModuleVersion(string firstLine)
    {
        ArgumentNullException.ThrowIfNull(firstLine);
        foreach (var token in firstLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = token.Split('.');
            if (parts.Length is 2 or 3 && parts.All(part => part.Length > 0 && part.All(char.IsAsciiDigit)))
            {
                return token;
            }
        }

        return null;
    }

    private static string? ReadKernelModuleVersion()
    {
        try
        {
            return File.Exists(NvidiaDriverVersionFile) ? ParseKernelModuleVersion(File.ReadLines(NvidiaDriverVersionFile).FirstOrDefault() ?? string.Empty) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // A zero clock means "not reported" on some platforms; null says so honestly.
    private static int? KilohertzToMegahertz(int? kilohertz) => kilohertz is > 0 ? kilohertz / 1000 : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
