using KernelForge.Archive;
using KernelForge.Core;

namespace KernelForge.Cli;

/// <summary>Appends every evaluation of the inner evaluator to the archive before returning it, so a search leaves a full record.</summary>
/// <remarks>Appends one at a time in completion order; the archive's own writes are serialized by <see cref="SqliteArchive"/>.</remarks>
internal sealed class ArchivingKernelEvaluator(IKernelEvaluator inner, SqliteArchive archive) : IKernelEvaluator
{
    public async Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        var result = await inner.EvaluateAsync(request, cancellationToken);
        await archive.AppendAsync(result, KforgeVersion.Current, cancellationToken);
        return result;
    }
}
