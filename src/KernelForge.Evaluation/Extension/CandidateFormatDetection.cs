using KernelForge.Core;

namespace KernelForge.Evaluation.Extension;

/// <summary>
/// What <see cref="CandidateFormats.Detect"/> made of a candidate file: its format (and, for torch extensions, which
/// one), or a message saying why it is none of them and what to write instead.
/// </summary>
public sealed record CandidateFormatDetection(CandidateFormat? Format, ExtensionFormat? Extension, string? Error)
{
    public bool Succeeded => Format is not null;

    public static CandidateFormatDetection Abi { get; } = new(CandidateFormat.Abi, Extension: null, Error: null);

    public static CandidateFormatDetection TorchExtension(ExtensionFormat extension) => new(CandidateFormat.TorchExtension, extension, Error: null);

    public static CandidateFormatDetection Failed(string error) => new(Format: null, Extension: null, error);
}
