using System.Text.RegularExpressions;

namespace KernelForge.Evaluation.Extension;

/// <summary>Tells the candidate formats apart by file suffix and source, with the rules of the runner's <c>candidate.py</c>.</summary>
/// <remarks>
/// <c>.cu</c> with <c>PYBIND11_MODULE</c> → pybind (checked first: such a file may mention <c>kforge_entry</c> in a
/// comment); <c>.cu</c> with <c>kforge_entry</c> or <c>KFORGE_ENTRY</c> → ABI; <c>.py</c> with a <c>class ModelNew</c>
/// statement at the start of a line → model_new. Keep these rules in step with <c>worker/src/kforge_worker/extension/candidate.py</c>.
/// </remarks>
public static partial class CandidateFormats
{
    /// <summary>The format of the candidate at <paramref name="path"/> whose text is <paramref name="source"/>.</summary>
    public static CandidateFormatDetection Detect(string path, string source)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(source);
        var suffix = Path.GetExtension(path);
        if (suffix.Equals(".cu", StringComparison.OrdinalIgnoreCase))
        {
            if (source.Contains("PYBIND11_MODULE", StringComparison.Ordinal))
            {
                return CandidateFormatDetection.TorchExtension(ExtensionFormat.Pybind);
            }

            if (source.Contains("kforge_entry", StringComparison.Ordinal) || source.Contains("KFORGE_ENTRY", StringComparison.Ordinal))
            {
                return CandidateFormatDetection.Abi;
            }
        }
        else if (suffix.Equals(".py", StringComparison.OrdinalIgnoreCase) && ModelNewClass().IsMatch(source))
        {
            return CandidateFormatDetection.TorchExtension(ExtensionFormat.ModelNew);
        }

        return CandidateFormatDetection.Failed(
            $"{path}: not a candidate KernelForge can run: write a .cu with `kforge_entry` (the KernelForge ABI), " +
            "a .cu with a pybind11 `forward` (PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) { m.def(\"forward\", ...); }), " +
            "or a .py defining `class ModelNew(nn.Module)` (KernelBench).");
    }

    /// <summary>The name the extension runner's <c>load</c> request uses for <paramref name="format"/>.</summary>
    public static string ToProtocolName(this ExtensionFormat format) => format switch
    {
        ExtensionFormat.ModelNew => "model_new",
        ExtensionFormat.Pybind => "pybind",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown extension format."),
    };

    [GeneratedRegex(@"^class\s+ModelNew\b", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ModelNewClass();
}
