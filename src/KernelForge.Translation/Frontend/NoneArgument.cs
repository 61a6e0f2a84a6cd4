namespace KernelForge.Translation.Frontend;

/// <summary>Python's <c>None</c> (JSON null).</summary>
public sealed record NoneArgument : NodeArgument
{
    public static NoneArgument Instance { get; } = new();
}
