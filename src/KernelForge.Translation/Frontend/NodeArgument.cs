namespace KernelForge.Translation.Frontend;

/// <summary>One argument of an exported node, as schema v1 encodes it.</summary>
public abstract record NodeArgument;
