using KernelForge.Translation.Cuda;
using KernelForge.Translation.Diagnostics;

namespace KernelForge.Translation;

/// <summary>The outcome of translating one graph: ABI source on success, and always the diagnostics and what was lowered how.</summary>
/// <remarks><c>IRHash</c> names the optimized IR (also in the source's header); null when translation stopped before it.</remarks>
public sealed record TranslationResult(
    string? Source,
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<LoweringNote> Lowerings,
    IReadOnlyList<EmittedKernel> Kernels,
    string? IRHash)
{
    public bool Succeeded => Source is not null;

    public static TranslationResult Success(string source, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<LoweringNote> lowerings, IReadOnlyList<EmittedKernel> kernels, string irHash) =>
        new(source, diagnostics, lowerings, kernels, irHash);

    public static TranslationResult Failure(IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<LoweringNote>? lowerings = null) =>
        new(null, diagnostics, lowerings ?? [], [], null);
}
