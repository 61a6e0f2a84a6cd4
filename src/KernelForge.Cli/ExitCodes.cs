namespace KernelForge.Cli;

/// <summary>Process exit codes, one meaning each; scripts and CI rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>The candidate was accepted (or the command succeeded).</summary>
    public const int Success = 0;

    /// <summary>The candidate was rejected; the report says why.</summary>
    public const int Rejected = 1;

    /// <summary>Bad usage or a broken environment (no GPU, no nvcc, no torch, unwritable archive, malformed problem).</summary>
    public const int UsageOrEnvironment = 2;

    /// <summary>The problem uses something the built-in translator cannot lower yet; the diagnostics say what.</summary>
    public const int NotTranslatable = 3;

    /// <summary>A bug in kforge (an unexpected exception): one line on stderr, the details with KFORGE_VERBOSE=1.</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted by Ctrl+C.</summary>
    public const int Cancelled = 130;
}
