using KernelForge.Core;

namespace KernelForge.Evaluation.Validation;

/// <summary>One static check on candidate source: what it looks for, what it does to a match, and what to write instead.</summary>
/// <param name="Id">Stable kebab-case name, shown with every finding (for example <c>other-stream-or-event</c>).</param>
/// <param name="Description">What the rule matches, in a few words.</param>
/// <param name="Verdict">What a match does under <see cref="LibraryPolicy.AllowLibraries"/>.</param>
/// <param name="Language">The language of sources it applies to; null for every language.</param>
/// <param name="Match">Finds the rule's matches in a scanned source; pure and fast.</param>
/// <param name="Message">What the author should do instead; shown with every finding.</param>
/// <remarks>
/// <see cref="PureCudaVerdict"/> is what a match does under <see cref="LibraryPolicy.PureCuda"/> (the same verdict
/// unless set). <see cref="Library"/> names the library a match shows the candidate uses (recorded in
/// <see cref="StaticCheckResult.LibrariesUsed"/>). <see cref="Format"/> limits the rule to one candidate format.
/// <see cref="PureCudaMessage"/> replaces <see cref="Message"/> under the pure-CUDA policy.
/// </remarks>
public sealed record StaticRule(
    string Id,
    string Description,
    StaticVerdict Verdict,
    SourceLanguage? Language,
    Func<ScannedSource, IEnumerable<RuleMatch>> Match,
    string Message)
{
    public StaticVerdict? PureCudaVerdict { get; init; }

    /// <summary>The message under <see cref="LibraryPolicy.PureCuda"/>, when it differs from <see cref="Message"/>.</summary>
    public string? PureCudaMessage { get; init; }

    public string? Library { get; init; }

    /// <summary>
    /// The library a build must link (<c>-l</c> name, e.g. <c>cublas</c>) when this rule matches; null for header-only
    /// libraries and for cuRAND, whose usual use (the device API of <c>curand_kernel.h</c>) needs no library.
    /// </summary>
    public string? LinkName { get; init; }

    public CandidateFormat? Format { get; init; }

    /// <summary>The verdict a match gets under <paramref name="policy"/>.</summary>
    public StaticVerdict VerdictUnder(LibraryPolicy policy) =>
        policy == LibraryPolicy.PureCuda && PureCudaVerdict is { } pure ? pure : Verdict;

    /// <summary>The message a match shows under <paramref name="policy"/>.</summary>
    public string MessageUnder(LibraryPolicy policy) =>
        policy == LibraryPolicy.PureCuda && PureCudaMessage is { } pure ? pure : Message;

    /// <summary>True when the rule checks sources of <paramref name="language"/> in candidates of <paramref name="format"/>.</summary>
    public bool AppliesTo(SourceLanguage language, CandidateFormat format) =>
        (Language is null || Language == language) && (Format is null || Format == format);
}
