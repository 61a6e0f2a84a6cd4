using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelForge.Evaluation.Protocol;

/// <summary>
/// A child process spoken to in JSON lines (one request line, one response line): the reference worker and the ABI runner.
/// </summary>
/// <remarks>
/// Calls are serialized: one request in flight at a time. Each call has a deadline; when it passes, the whole
/// process tree is killed (a hung kernel must not hang the orchestrator) and <see cref="ProcessTimeoutException"/>
/// is thrown. If the process dies, <see cref="ProcessCrashedException"/> carries its exit code and the tail of its stderr.
/// </remarks>
public sealed class JsonLinesProcess : IAsyncDisposable
{
    public const int ProtocolVersion = 1;
    private const int StderrTailLines = 60;

    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<string> _stderrTail = new();
    private readonly Lock _stderrLock = new();
    private readonly Action<string>? _stderrSink;
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private JsonLinesProcess(Process process, string displayName, Action<string>? stderrSink)
    {
        _process = process;
        DisplayName = displayName;
        _stderrSink = stderrSink;
    }

    /// <summary>Name used in error messages, e.g. "reference worker".</summary>
    public string DisplayName { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the process with redirected standard streams; stderr lines go to <paramref name="stderrSink"/> and a tail buffer.</summary>
    public static JsonLinesProcess Start(ProcessStartInfo startInfo, string displayName, Action<string>? stderrSink = null)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        startInfo.StandardOutputEncoding = Encoding.UTF8;
        startInfo.StandardErrorEncoding = Encoding.UTF8;
        startInfo.StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var wrapper = new JsonLinesProcess(process, displayName, stderrSink);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                wrapper.OnStderr(line);
            }
            else
            {
                wrapper._stderrClosed.TrySetResult();
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>The last lines the process wrote to stderr, for failure messages.</summary>
    public string StderrTail()
    {
        lock (_stderrLock)
        {
            return string.Join('\n', _stderrTail);
        }
    }

    /// <summary>Sends <paramref name="op"/> with <paramref name="fields"/> and returns the response object (with <c>ok: true</c>).</summary>
    /// <exception cref="ProtocolErrorException">The process answered <c>ok: false</c>.</exception>
    /// <exception cref="ProcessTimeoutException">No answer within <paramref name="deadline"/>; the process was killed.</exception>
    /// <exception cref="ProcessCrashedException">The process exited before answering.</exception>
    public async Task<JsonObject> RequestAsync(string op, JsonObject? fields, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var id = Interlocked.Increment(ref _nextId);
            var request = new JsonObject { ["v"] = ProtocolVersion, ["id"] = id, ["op"] = op };
            if (fields is not null)
            {
                foreach (var (key, value) in fields)
                {
                    request[key] = value?.DeepClone();
                }
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(deadline);
            try
            {
                await _process.StandardInput.WriteLineAsync(request.ToJsonString().AsMemory(), timeout.Token);
                await _process.StandardInput.FlushAsync(timeout.Token);
                while (true)
                {
                    var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
                    if (line is null)
                    {
                        throw Crashed(op);
                    }

                    if (JsonNode.Parse(line) is not JsonObject response)
                    {
                        throw new ProtocolErrorException("bad_response", $"{DisplayName} wrote a line that is not a JSON object: {line}", null, null);
                    }

                    if (response["id"]?.GetValue<int>() != id)
                    {
                        continue;
                    }

                    if (response["ok"]?.GetValue<bool>() == true)
                    {
                        return response;
                    }

                    var error = response["error"] as JsonObject;
                    throw new ProtocolErrorException(
                        error?["kind"]?.GetValue<string>() ?? "internal",
                        error?["message"]?.GetValue<string>() ?? $"{DisplayName} failed '{op}' without a message.",
                        error?["file"]?.GetValue<string>(),
                        error?["line"] is JsonValue lineValue && lineValue.TryGetValue<int>(out var lineNumber) ? lineNumber : null,
                        DisplayName);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Kill();
                throw new ProcessTimeoutException($"{DisplayName} did not answer '{op}' within {deadline.TotalSeconds:0.#} s; it was killed.".ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                throw Crashed(op);
            }
            catch (JsonException ex)
            {
                throw new ProtocolErrorException("bad_response", $"{DisplayName} wrote malformed JSON: {ex.Message}", null, null);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kills the process and its children. Safe to call more than once.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await RequestAsync("shutdown", null, TimeSpan.FromSeconds(5), grace.Token);
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (Exception ex) when (ex is ProtocolException or OperationCanceledException or IOException or InvalidOperationException)
            {
                // Shutdown is best effort; the kill below ends it either way.
            }
        }

        Kill();
        _process.Dispose();
        _gate.Dispose();
    }

    private ProcessCrashedException Crashed(string op)
    {
        _process.WaitForExit(2000);

        // WaitForExit with a timeout does not wait for the asynchronous stderr reader, so the last lines (often the
        // reason, e.g. a Python traceback or "segfault in candidate") could still be in flight. Wait briefly for
        // end of stream; a grandchild that keeps stderr open only costs the grace period.
        _stderrClosed.Task.Wait(TimeSpan.FromSeconds(2));
        int? exitCode = _process.HasExited ? _process.ExitCode : null;
        return new ProcessCrashedException(
            $"{DisplayName} exited while handling '{op}' (exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}).",
            exitCode,
            StderrTail());
    }

    private void OnStderr(string line)
    {
        lock (_stderrLock)
        {
            _stderrTail.Enqueue(line);
            while (_stderrTail.Count > StderrTailLines)
            {
                _stderrTail.Dequeue();
            }
        }

        _stderrSink?.Invoke(line);
    }
}
