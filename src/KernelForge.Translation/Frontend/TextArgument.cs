namespace KernelForge.Translation.Frontend;

/// <summary>A string (e.g. gelu's <c>approximate</c>), or a tagged torch object such as <c>{"device": "cuda:0"}</c>.</summary>
/// <remarks><c>Tag</c>: Null for a plain string; otherwise <c>device</c>, <c>layout</c> or <c>memory_format</c>.</remarks>
public sealed record TextArgument(string Value, string? Tag = null) : NodeArgument;
