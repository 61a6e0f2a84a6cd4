using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// Counts kernel launches, by kernel name, during one checked call of a candidate, through CUPTI's callback API:
/// the runner subscribes before the call and unsubscribes after it, so the timed loop runs with no callback attached.
/// </summary>
/// <remarks>
/// <para>
/// Launches are seen at the driver (<c>cuLaunchKernel</c>, <c>cuLaunchKernelEx</c>, cooperative launches, graph
/// launches) and at the runtime (<c>cudaLaunchKernel</c>, <c>cudaLaunchKernelExC</c>, …). A runtime launch may show up
/// at both levels, so the count is the larger of the two levels, not their sum; the kernel names are merged. Callback
/// ids are those of CUPTI's <c>cupti_driver_cbid.h</c> and <c>cupti_runtime_cbid.h</c>, which only ever append.
/// </para>
/// <para>
/// CUPTI is optional: without <c>libcupti</c> (or when subscribing fails, e.g. another tool holds the one subscriber
/// slot), <see cref="TryStart"/> returns null with the reason, and launches are reported as not counted, never as zero.
/// <c>KFORGE_LAUNCH_COUNTING=off</c> turns counting off (e.g. beside another CUPTI-based profiler).
/// </para>
/// </remarks>
internal sealed unsafe class LaunchCounter : IDisposable
{
    private const int DriverDomain = 1;
    private const int RuntimeDomain = 2;

    /// <summary>CUpti_CallbackData: callbackSite (int, 0 = API enter) at offset 0, symbolName (const char*) at offset 32.</summary>
    private const int SymbolNameOffset = 32;

    // cupti_driver_cbid.h: cuLaunch 115, cuLaunchGrid 116, cuLaunchGridAsync 117, cuLaunchKernel 307 (_ptsz 442),
    // cuLaunchCooperativeKernel 477 (_ptsz 478), cuLaunchCooperativeKernelMultiDevice 480, cuGraphLaunch 514 (_ptsz 515),
    // cuLaunchKernelEx 652 (_ptsz 653).
    private static readonly HashSet<uint> DriverLaunchIds = [115, 116, 117, 307, 442, 477, 478, 480, 514, 515, 652, 653];

    // cupti_runtime_cbid.h: cudaLaunch 13, cudaLaunchKernel 211 (_ptsz 214), cudaLaunch_ptsz 213, cudaLaunchCooperativeKernel
    // 269 (_ptsz 270), …MultiDevice 272, cudaGraphLaunch 311 (_ptsz 312), cudaLaunchKernelExC 430 (_ptsz 431).
    private static readonly HashSet<uint> RuntimeLaunchIds = [13, 211, 213, 214, 269, 270, 272, 311, 312, 430, 431];

    // One counter at a time: CUPTI allows one subscriber per process, and the runner serves one request at a time.
    private static LaunchCounter? _active;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _driverKernels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _runtimeKernels = new(StringComparer.Ordinal);
    private nint _subscriber;

    private LaunchCounter()
    {
    }

    /// <summary>Subscribes and enables the launch callbacks; null, with <paramref name="reason"/>, when CUPTI cannot count here.</summary>
    public static LaunchCounter? TryStart(out string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("KFORGE_LAUNCH_COUNTING"), "off", StringComparison.OrdinalIgnoreCase))
        {
            reason = "turned off (KFORGE_LAUNCH_COUNTING=off)";
            return null;
        }

        if (!CudaLibraryLoader.TryGetCupti(out reason))
        {
            return null;
        }

        var counter = new LaunchCounter();
        try
        {
            _active = counter;
            nint subscriber;
            var code = CuptiSubscribe(&subscriber, &OnCallback, 0);
            if (code != 0)
            {
                _active = null;
                reason = $"cuptiSubscribe failed ({Describe(code)})";
                return null;
            }

            counter._subscriber = subscriber;
            foreach (var domain in (int[])[DriverDomain, RuntimeDomain])
            {
                code = CuptiEnableDomain(1, subscriber, domain);
                if (code != 0)
                {
                    counter.Dispose();
                    reason = $"cuptiEnableDomain failed ({Describe(code)})";
                    return null;
                }
            }

            return counter;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _active = null;
            reason = $"CUPTI could not be called: {ex.Message}";
            return null;
        }
    }

    /// <summary>Launches counted so far: the larger of the driver-level and runtime-level counts.</summary>
    public int Launches
    {
        get
        {
            lock (_lock)
            {
                return Math.Max(_driverKernels.Values.Sum(), _runtimeKernels.Values.Sum());
            }
        }
    }

    /// <summary>Launches per kernel name (mangled, as the module names it), the larger of the two levels per name.</summary>
    public IReadOnlyDictionary<string, int> Kernels
    {
        get
        {
            lock (_lock)
            {
                // A name seen at both levels is one launch seen twice: per name, the larger level's count.
                return _driverKernels.Keys.Union(_runtimeKernels.Keys, StringComparer.Ordinal).ToDictionary(
                    name => name,
                    name => Math.Max(_driverKernels.GetValueOrDefault(name), _runtimeKernels.GetValueOrDefault(name)),
                    StringComparer.Ordinal);
            }
        }
    }

    public void Dispose()
    {
        if (_subscriber != 0)
        {
            _ = CuptiUnsubscribe(_subscriber);
            _subscriber = 0;
        }

        if (ReferenceEquals(_active, this))
        {
            _active = null;
        }
    }

    private void Record(int domain, string? symbol)
    {
        var name = symbol ?? "(unnamed)";
        lock (_lock)
        {
            var level = domain == DriverDomain ? _driverKernels : _runtimeKernels;
            level[name] = level.GetValueOrDefault(name) + 1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnCallback(nint userdata, int domain, uint callbackId, nint callbackData)
    {
        try
        {
            if (callbackData == 0 || *(int*)callbackData != 0)
            {
                return; // not CUPTI_API_ENTER
            }

            var launch = domain == DriverDomain ? DriverLaunchIds.Contains(callbackId)
                : domain == RuntimeDomain && RuntimeLaunchIds.Contains(callbackId);
            if (launch && _active is { } counter)
            {
                var symbol = *(nint*)(callbackData + SymbolNameOffset);
                counter.Record(domain, symbol == 0 ? null : Marshal.PtrToStringUTF8(symbol));
            }
        }
#pragma warning disable CA1031 // Nothing may unwind into CUPTI; a failure here only loses a count.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static string Describe(int code)
    {
        try
        {
            byte* text;
            return CuptiGetResultString(code, &text) == 0 && text != null
                ? $"{Marshal.PtrToStringUTF8((nint)text)}, code {code}"
                : $"code {code}";
        }
        catch (EntryPointNotFoundException)
        {
            return $"code {code}";
        }
    }

    [DllImport(CudaLibraryLoader.CuptiLibraryName, EntryPoint = "cuptiSubscribe")]
    private static extern int CuptiSubscribe(nint* subscriber, delegate* unmanaged[Cdecl]<nint, int, uint, nint, void> callback, nint userdata);

    [DllImport(CudaLibraryLoader.CuptiLibraryName, EntryPoint = "cuptiUnsubscribe")]
    private static extern int CuptiUnsubscribe(nint subscriber);

    [DllImport(CudaLibraryLoader.CuptiLibraryName, EntryPoint = "cuptiEnableDomain")]
    private static extern int CuptiEnableDomain(uint enable, nint subscriber, int domain);

    [DllImport(CudaLibraryLoader.CuptiLibraryName, EntryPoint = "cuptiGetResultString")]
    private static extern int CuptiGetResultString(int result, byte** text);
}
