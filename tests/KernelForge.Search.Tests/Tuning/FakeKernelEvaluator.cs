using KernelForge.Core;

namespace KernelForge.Search.Tests.Tuning;

/// <summary>An evaluator that answers from a function of the candidate, records every request, and can run a hook first (advance a fake clock, cancel).</summary>
internal sealed class FakeKernelEvaluator(Func<Candidate, double?> medianMicroseconds) : IKernelEvaluator
{
    public List<EvaluationRequest> Requests { get; } = [];

    /// <summary>Runs before each answer with the 1-based call number.</summary>
    public Action<int>? BeforeAnswer { get; init; }

    /// <summary>Candidates answered as rejected, yet with a (tiny) timing attached: a rejected result must never win.</summary>
    public Func<Candidate, bool> Rejects { get; init; } = _ => false;

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        BeforeAnswer?.Invoke(Requests.Count);
        cancellationToken.ThrowIfCancellationRequested();
        var candidate = request.Candidate;
        if (Rejects(candidate))
        {
            return Task.FromResult(Result(candidate, FailureKind.WrongResult, Timing(0.001)));
        }

        return Task.FromResult(medianMicroseconds(candidate) is { } median
            ? Result(candidate, null, Timing(median))
            : Result(candidate, FailureKind.CompileError, null));
    }

    private static EvaluationResult Result(Candidate candidate, FailureKind? failure, TimingSummary? timing) =>
        new(candidate, null, PrecisionPolicy.Strict, failure is null ? EvaluationStage.Time : EvaluationStage.Check, failure,
            failure?.ToString(), null, [], timing, Timing(100), Timing(90), null, [], DateTimeOffset.UnixEpoch);

    private static TimingSummary Timing(double median) => new([median], median, median, median, median, median, 0, true);
}
