namespace KernelForge.Core;

/// <summary>One CUDA source to evaluate, with where it came from.</summary>
public sealed record Candidate(string Source, CandidateFormat Format, string Origin)
{
    /// <summary>Content hash of the source: the candidate's identity in the archive and the compile cache.</summary>
    public string Id { get; } = ContentHash.Of(Source);
}
