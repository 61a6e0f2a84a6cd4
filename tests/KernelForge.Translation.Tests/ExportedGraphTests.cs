namespace KernelForge.Translation.Tests;

/// <summary>
/// Graphs torch 2.11 exported from this repository's problems on the GPU host (kforge translate's <c>graph.json</c>,
/// 2026-12-07: the convolution problems of levels 1 and 2 and the level-3 problems under 200 KB): the frontend must read
/// what a current torch writes, which the CPU machines' torch 1.13 cannot show. Regenerate with <c>kforge translate</c>
/// on a host with torch 2.x and copy <c>out/&lt;problem&gt;/graph.json</c> here.
/// </summary>
public sealed class ExportedGraphTests
{
    private static readonly string[] Files =
        [.. Directory.EnumerateFiles(TestFiles.Path("Exported/torch-2.11"), "*.json").Select(file => Path.GetFileNameWithoutExtension(file)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Names { get; } = [.. Files];

    [Theory]
    [MemberData(nameof(Names))]
    public void Translate_Torch211Export_SucceedsWithBothPolicies(string name)
    {
        var json = File.ReadAllText(TestFiles.Path($"Exported/torch-2.11/{name}.json"));

        foreach (var allowLibraries in new[] { true, false })
        {
            var result = new Translator { AllowLibraries = allowLibraries }.Translate(json);

            Assert.True(result.Succeeded, $"{name} (allow libraries: {allowLibraries}): {string.Join("; ", result.Diagnostics)}");
            Assert.NotEmpty(result.Kernels);
        }
    }

    [Fact]
    public void Names_HoldTheTrainingModeBatchNormNetworks() =>
        Assert.Superset(new HashSet<string> { "channel_shuffle_unit", "dense_block", "mbconv_squeeze_excite", "netvlad_pooling", "unet_softmax_level", "chunked_scan_einsum" },
            Files.ToHashSet());
}
