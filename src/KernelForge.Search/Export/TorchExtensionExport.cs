namespace KernelForge.Search.Export;

/// <summary>A generated torch-extension binding around an ABI kernel, or why none could be generated.</summary>
public sealed record TorchExtensionExport(string? Source, string? Error)
{
    public bool Succeeded => Source is not null;

    public static TorchExtensionExport Success(string source) => new(source, null);

    public static TorchExtensionExport Failure(string error) => new(null, error);
}
