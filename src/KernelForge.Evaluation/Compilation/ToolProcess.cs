using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Runs a command-line tool (nvcc) to completion under a deadline, keeping everything it printed.</summary>
internal static class ToolProcess
{
    /// <summary>How long to wait for a killed process tree to go away before giving up on it.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Starts <paramref name="fileName"/> and waits for it. When <paramref name="timeout"/> passes first, the whole process
    /// tree is killed (nvcc spawns cicc, ptxas and the host compiler) and the result says <c>TimedOut</c>.
    /// Variables in <paramref name="environment"/> are set over this process's own.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller cancelled; the process tree was killed.</exception>
    /// <exception cref="InvalidOperationException">The tool could not be started at all.</exception>
    public static async Task<ToolProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string? workingDirectory,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null)
        {
            startInfo.WorkingDirectory = workingDirectory;
        }

        foreach (var (name, value) in environment ?? [])
        {
            startInfo.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // One buffer for both streams, so that nvcc's errors and ptxas's reports keep their relative order.
        // Stdout also on its own, for tools whose answer is what they print there (ToolProcessResult.StandardOutput).
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        var outputLock = new Lock();
        void Append(string? line, bool isStandardOutput)
        {
            if (line is not null)
            {
                lock (outputLock)
                {
                    output.Append(line).Append('\n');
                    if (isStandardOutput)
                    {
                        standardOutput.Append(line).Append('\n');
                    }
                }
            }
        }

        ToolProcessResult Result(int? exitCode, bool timedOut)
        {
            lock (outputLock)
            {
                return new ToolProcessResult(exitCode, output.ToString(), timedOut) { StandardOutput = standardOutput.ToString() };
            }
        }

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data, isStandardOutput: true);
        process.ErrorDataReceived += (_, e) => Append(e.Data, isStandardOutput: false);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Could not start '{fileName}': {ex.Message}. Set {NvccLocator.NvccVariable} to the nvcc executable, or CUDA_HOME to the CUDA toolkit.",
                ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            // Also waits for the redirected streams to reach end of file, so the output is complete afterwards.
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            await KillTreeAsync(process);
            cancellationToken.ThrowIfCancellationRequested();
            return Result(exitCode: null, timedOut: true);
        }

        return Result(process.ExitCode, timedOut: false);
    }

    private static async Task KillTreeAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the deadline and the kill.
        }

        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(KillGrace);
        }
        catch (TimeoutException)
        {
            // A grandchild holding the pipes open must not hang the caller; the tree was signalled.
        }
    }
}
