namespace KernelForge.Evaluation.Pipeline;

/// <summary>Datasheet peak memory bandwidth by GPU name, recorded beside the measured peak (the measured one sets the floor).</summary>
public static class DatasheetBandwidth
{
    // NVIDIA datasheets: H100 SXM5 3.35 TB/s, H100 PCIe 2.0 TB/s, H200 4.8 TB/s, A100 80GB SXM 2.039 TB/s, A100 40GB 1.555 TB/s.
    private static readonly (string NameFragment, double BytesPerSecond)[] Table =
    [
        ("H200", 4.8e12),
        ("H100 80GB HBM3", 3.35e12),
        ("H100 PCIe", 2.0e12),
        ("A100-SXM4-80GB", 2.039e12),
        ("A100-SXM4-40GB", 1.555e12),
    ];

    /// <summary>The datasheet figure for <paramref name="gpuName"/>, or null when this table does not know the part.</summary>
    public static double? ForGpu(string gpuName) =>
        Table.FirstOrDefault(entry => gpuName.Contains(entry.NameFragment, StringComparison.OrdinalIgnoreCase)) is { NameFragment: not null } hit
            ? hit.BytesPerSecond
            : null;
}
