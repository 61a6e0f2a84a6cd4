using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>What the runner saw around one call of a candidate's entry: nothing wrong, or the first failure in protocol order.</summary>
/// <remarks>
/// <see cref="ReturnCode"/> is what <c>kforge_entry</c> returned. <see cref="Fatal"/> means the CUDA context is lost
/// (a sticky error): the runner answers, then exits so that a fresh one is started.
/// </remarks>
internal sealed record CallOutcome(FailureKind? Failure, string? Message, int? ReturnCode, bool Fatal)
{
    public static CallOutcome Succeeded { get; } = new(Failure: null, Message: null, ReturnCode: 0, Fatal: false);

    public bool HasFailure => Failure is not null;

    public static CallOutcome Failed(FailureKind failure, string message, int? returnCode, bool fatal = false) =>
        new(failure, message, returnCode, fatal);
}
