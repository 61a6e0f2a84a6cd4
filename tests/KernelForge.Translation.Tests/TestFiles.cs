using System.Runtime.CompilerServices;
using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Tests;

/// <summary>Files of this test project's source folder (graphs in, golden kernels out) and of the repository.</summary>
internal static class TestFiles
{
    /// <summary>The source folder of this project, found from this file's path (binaries may live outside the checkout).</summary>
    public static string ProjectDirectory { get; } = SourceDirectory();

    /// <summary>Every graph in <c>Graphs/</c>, by name without extension, sorted.</summary>
    public static IReadOnlyList<string> GraphNames { get; } =
        [.. System.IO.Directory.EnumerateFiles(Path("Graphs"), "*.json").Select(System.IO.Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

    /// <summary>The repository's <c>abi/</c> folder, holding <c>kforge_abi.h</c>.</summary>
    public static string AbiDirectory => System.IO.Path.GetFullPath(System.IO.Path.Combine(ProjectDirectory, "..", "..", "abi"));

    public static string Path(string relativePath) => System.IO.Path.Combine(ProjectDirectory, relativePath);

    public static string Graph(string name) => File.ReadAllText(Path($"Graphs/{name}.json"));

    /// <summary>The IR the frontend reads from <c>Graphs/&lt;name&gt;.json</c>.</summary>
    public static IRGraph ReadGraph(string name) => GraphReader.Read(Graph(name)).Graph ?? throw new InvalidOperationException($"{name} did not read.");

    /// <summary>The IR of a graph over float32 inputs <c>x</c> [4, 8] and <c>w</c> [8] (a parameter) with the given nodes.</summary>
    public static IRGraph ReadNodes(string nodes, params string[] outputs)
    {
        var json = $$"""
            {"schema_version": 1,
             "inputs": [{"name": "x", "shape": [4, 8], "dtype": "float32", "role": "input"}, {"name": "w", "shape": [8], "dtype": "float32", "role": "parameter"}],
             "nodes": [{{nodes}}],
             "outputs": [{{string.Join(", ", outputs.Select(o => $"\"{o}\""))}}]}
            """;
        var result = GraphReader.Read(json);
        return result.Graph ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => System.IO.Path.GetDirectoryName(path)!;
}
