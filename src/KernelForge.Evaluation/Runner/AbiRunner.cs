using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// The ABI runner's request loop (<c>kforge __runner</c>): loads candidate libraries and runs and times them on the
/// GPU, one JSON request line in, one JSON response line out (docs/protocol.md, "ABI runner"). Loads no torch and never
/// sees expected outputs.
/// </summary>
/// <remarks>
/// Every failure becomes a response; nothing escapes the loop. A sticky CUDA error (the context is lost) is answered
/// and then ends the loop with <see cref="StickyErrorExitCode"/>, which the process must exit with, so that the
/// orchestrator starts a fresh runner. CUDA is touched only by requests that need it, so a malformed or unknown request
/// is answered on a machine without a GPU too. One request at a time; not thread-safe.
/// </remarks>
public sealed partial class AbiRunner : IDisposable
{
    /// <summary>Exit code after a sticky CUDA error: the runner answered and must be replaced.</summary>
    public const int StickyErrorExitCode = 3;

    private readonly int _device;
    private readonly Func<TimingOptions, Func<IReadOnlyList<double>, double, bool>> _stopRuleFactory;
    private readonly TimeProvider _timeProvider;
    private readonly TextWriter _log;
    private LoadedCandidate? _candidate;
    private nint _stream;
    private bool _contextLost;
    private int? _exitCode;

    /// <summary>A runner for CUDA device <paramref name="deviceOrdinal"/> (as CUDA numbers devices in this process).</summary>
    /// <remarks>
    /// <paramref name="stopRuleFactory"/> gives the timing stop rule for the request's options: (samples so far in µs,
    /// wall ms since the first) → stop. It defaults to <see cref="TimingLoop.DefaultStopRule"/>, which is
    /// <c>AdaptiveStopRule</c>, the rule the worker's loop follows too. <paramref name="log"/> takes diagnostics
    /// (stderr in the runner process), never stdout, which carries the protocol.
    /// </remarks>
    public AbiRunner(
        int deviceOrdinal,
        Func<TimingOptions, Func<IReadOnlyList<double>, double, bool>>? stopRuleFactory = null,
        TimeProvider? timeProvider = null,
        TextWriter? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceOrdinal);
        _device = deviceOrdinal;
        _stopRuleFactory = stopRuleFactory ?? TimingLoop.DefaultStopRule;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _log = log ?? TextWriter.Null;
    }

    /// <summary>
    /// Entry point of the runner process: serves stdin/stdout until <c>shutdown</c>, end of input or a sticky error, and
    /// returns the exit code to end the process with (0, or <see cref="StickyErrorExitCode"/>).
    /// </summary>
    /// <remarks>
    /// Before serving, the process's file descriptor 1 is pointed at stderr and the protocol gets a private duplicate
    /// of the original stdout, so that a candidate's <c>printf</c> (host or device) cannot corrupt the protocol stream.
    /// </remarks>
    public static async Task<int> RunProcessAsync(int deviceOrdinal, CancellationToken cancellationToken = default)
    {
        using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        using var output = ProtocolOutput.TakeOverStandardOutput();
        return await RunAsync(input, output, deviceOrdinal, cancellationToken);
    }

    /// <summary>Serves requests from <paramref name="input"/> until <c>shutdown</c> or end of input; returns the exit code.</summary>
    public static async Task<int> RunAsync(TextReader input, TextWriter output, int deviceOrdinal, CancellationToken cancellationToken = default)
    {
        using var runner = new AbiRunner(deviceOrdinal, log: Console.Error);
        return await runner.ServeAsync(input, output, cancellationToken);
    }

    /// <summary>Serves requests until <c>shutdown</c>, end of input or a sticky CUDA error; returns the exit code.</summary>
    public async Task<int> ServeAsync(TextReader input, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var (response, exitCode) = Handle(line);
            output.Write(response.ToJsonString());
            output.Write('\n');
            await output.FlushAsync(cancellationToken);
            if (exitCode is { } code)
            {
                return code;
            }
        }

        return 0;
    }

    /// <summary>Answers one request line; the exit code is set when the loop must end after this answer.</summary>
    internal (JsonObject Response, int? ExitCode) Handle(string line)
    {
        _exitCode = null;
        JsonNode? id = null;
        try
        {
            if (JsonNode.Parse(line) is not JsonObject request)
            {
                throw new RunnerRequestException(RunnerRequestException.BadRequest, "A request must be one JSON object per line.");
            }

            id = request["id"]?.DeepClone();
            if (RequestFields.OptionalInt32(request, "v") is { } version && version != 1)
            {
                throw new RunnerRequestException(RunnerRequestException.BadRequest, $"Protocol version {Invariant(version)} is not supported; this runner speaks version 1.");
            }

            var op = RequestFields.RequiredString(request, "op");
            var fields = op switch
            {
                "hello" => Hello(request),
                "measure_bandwidth" => MeasureBandwidth(request),
                "load" => Load(request),
                "run" => Run(request),
                "time" => Time(request),
                "shutdown" => Shutdown(),
                _ => throw new RunnerRequestException(
                    RunnerRequestException.BadRequest,
                    $"Unknown op '{op}'; expected hello, measure_bandwidth, load, run, time or shutdown."),
            };
            return (Success(id, fields), _exitCode);
        }
        catch (JsonException ex)
        {
            return (Failure(id, RunnerRequestException.BadRequest, $"Malformed JSON request: {ex.Message}"), null);
        }
        catch (RunnerRequestException ex)
        {
            return (Failure(id, ex.Kind, ex.Message), _exitCode);
        }
        catch (CudaException ex)
        {
            var message = ex.Message;
            if (ContextIsLost())
            {
                MarkContextLost();
                message += " The CUDA context is lost; the runner exits and a fresh one must be started.";
            }

            return (Failure(id, RunnerRequestException.Internal, message), _exitCode);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return (Failure(id, RunnerRequestException.Environment, $"The CUDA runtime could not be called: {ex.Message}"), _exitCode);
        }
#pragma warning disable CA1031 // The loop's contract is that every request gets an answer; an unforeseen bug is reported, not fatal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _log.WriteLine($"kforge __runner: internal error: {ex}");
            return (Failure(id, RunnerRequestException.Internal, $"{ex.GetType().Name}: {ex.Message}"), _exitCode);
        }
    }

    public void Dispose()
    {
        // After a sticky error every CUDA call fails and the process is about to exit; releasing would only add noise.
        if (_contextLost)
        {
            return;
        }

        _candidate?.Dispose();
        _candidate = null;
        if (_stream != 0)
        {
            _ = CudaRuntime.DestroyStreamCode(_stream);
            _stream = 0;
        }
    }

    private JsonObject Shutdown()
    {
        _exitCode = 0;
        return [];
    }

    /// <summary>Makes this runner's device current on this thread (CUDA's current device is per thread) and creates the harness stream once.</summary>
    private void EnsureDevice()
    {
        if (_contextLost)
        {
            throw new RunnerRequestException(RunnerRequestException.Internal, "The CUDA context was lost earlier; start a fresh runner.");
        }

        if (_stream == 0 && !CudaRuntime.IsAvailable(out var reason))
        {
            throw new RunnerRequestException(RunnerRequestException.Environment, reason + ".");
        }

        try
        {
            CudaRuntime.SetDevice(_device);
        }
        catch (CudaException ex)
        {
            throw new RunnerRequestException(
                RunnerRequestException.Environment,
                $"CUDA device {Invariant(_device)} cannot be used ({ex.Message}); check nvidia-smi, CUDA_VISIBLE_DEVICES and --device.",
                ex);
        }

        if (_stream == 0)
        {
            // Blocking on purpose: work a candidate puts on the legacy default stream (a null stream returned by a helper,
            // which the static rules cannot see) then waits for the L2 flush and the start event, and the end event
            // waits for it, so it is timed in full instead of overlapping the flush untimed.
            _stream = CudaRuntime.CreateBlockingStream();
            _log.WriteLine($"kforge __runner: device {Invariant(_device)}, CUDA runtime {CudaRuntime.LoadedRuntimePath}");
        }
    }

    private static bool ContextIsLost()
    {
        try
        {
            return CudaRuntime.DeviceSynchronizeCode() != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private void MarkContextLost()
    {
        _contextLost = true;
        _exitCode = StickyErrorExitCode;
    }

    private static JsonObject Success(JsonNode? id, JsonObject fields)
    {
        var response = new JsonObject { ["v"] = 1, ["id"] = id, ["ok"] = true };
        foreach (var (key, value) in fields.ToList())
        {
            fields.Remove(key);
            response[key] = value;
        }

        return response;
    }

    private static JsonObject Failure(JsonNode? id, string kind, string message) => new()
    {
        ["v"] = 1,
        ["id"] = id,
        ["ok"] = false,
        ["error"] = new JsonObject { ["kind"] = kind, ["message"] = message },
    };

    /// <summary>The protocol never carries NaN or infinity; a non-finite number is sent as null.</summary>
    private static JsonNode? FiniteOrNull(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
