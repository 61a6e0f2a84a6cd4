namespace KernelForge.Translation.Frontend;

/// <summary><c>{"node": "name"}</c>: the value of a graph input or an earlier node.</summary>
public sealed record NodeReference(string Name) : NodeArgument;
