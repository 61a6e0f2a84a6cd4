namespace KernelForge.Translation.Frontend;

/// <summary>A Python bool.</summary>
public sealed record BoolArgument(bool Value) : NodeArgument;
