using KernelForge.Core;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Pipeline;

public sealed partial class EvaluationSession
{
    /// <summary>One candidate's evaluation in progress: the request, its loaded problem, and the warnings gathered so far.</summary>
    private sealed record Attempt(EvaluationRequest Request, LoadedProblem Problem, List<string> Warnings, EnvironmentInfo Environment, TimeProvider TimeProvider)
    {
        /// <summary>Every check that ran so far and what it saw; attached to the result for <c>--explain</c>.</summary>
        public List<CheckRecord> Explanation { get; } = [];

        public void Explain(string check, bool passed, FormattableString saw) =>
            Explanation.Add(new CheckRecord(check, passed, saw.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        public EvaluationResult Rejected(EvaluationStage stage, FailureKind failure, string message, CompileResult? compile, IReadOnlyList<InputSetCheck>? checks = null) =>
            new EvaluationResult(Request.Candidate, Problem.Info, Request.Precision, stage, failure, message, compile, checks ?? [], null, null, null, Environment, Warnings, TimeProvider.GetUtcNow())
            {
                Explanation = [.. Explanation],
            };
    }
}
