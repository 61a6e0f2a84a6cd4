namespace KernelForge.Evaluation.Runner;

/// <summary>A request the runner cannot carry out; becomes <c>{"ok":false,"error":{"kind":…,"message":…}}</c>.</summary>
/// <remarks>Kinds used here: <c>bad_request</c>, <c>environment</c>, <c>load_error</c>, <c>internal</c>.</remarks>
internal sealed class RunnerRequestException(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public const string BadRequest = "bad_request";
    public const string Environment = "environment";
    public const string LoadError = "load_error";
    public const string Internal = "internal";

    public string Kind { get; } = kind;
}
