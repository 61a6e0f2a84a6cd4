namespace KernelForge.Evaluation.Protocol;

/// <summary>Base of the ways a call to a child process can fail.</summary>
public abstract class ProtocolException(string message) : Exception(message);

/// <summary>The child answered <c>ok: false</c>; <see cref="Kind"/> is its open-set error kind (see docs/protocol.md).</summary>
public sealed class ProtocolErrorException(string kind, string message, string? file, int? line, string? process = null) : ProtocolException(message)
{
    public string Kind { get; } = kind;

    /// <summary>Which child answered with the error ("reference worker", "ABI runner", ...), when known.</summary>
    public string? Process { get; } = process;

    public string? File { get; } = file;

    public int? Line { get; } = line;
}

/// <summary>The child did not answer in time and was killed.</summary>
public sealed class ProcessTimeoutException(string message) : ProtocolException(message);

/// <summary>The child exited before answering.</summary>
public sealed class ProcessCrashedException(string message, int? exitCode, string stderrTail) : ProtocolException(message)
{
    public int? ExitCode { get; } = exitCode;

    public string StderrTail { get; } = stderrTail;
}
