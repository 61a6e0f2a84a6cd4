namespace KernelForge.Evaluation.Pipeline;

/// <summary>Something the machine lacks (GPU, nvcc, torch…); the message is one sentence saying what and how to fix it.</summary>
public sealed class EnvironmentException(string message, Exception? inner = null) : Exception(message, inner);
