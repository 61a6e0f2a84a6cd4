namespace KernelForge.Evaluation.Tests.Compilation;

/// <summary>A fact that needs a Unix shell (fake compilers written as <c>/bin/sh</c> scripts) or ELF libraries; skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs /bin/sh and ELF shared libraries.";
        }
    }
}
