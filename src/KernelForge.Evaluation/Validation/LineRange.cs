namespace KernelForge.Evaluation.Validation;

/// <summary>An inclusive range of 1-based source lines.</summary>
public readonly record struct LineRange(int FirstLine, int LastLine)
{
    public bool Contains(int line) => line >= FirstLine && line <= LastLine;
}
