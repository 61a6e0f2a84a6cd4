namespace KernelForge.Core;

/// <summary>The stages one evaluation passes through, in order; a result records the last stage reached.</summary>
public enum EvaluationStage
{
    Compile,
    Load,
    Run,
    Check,
    Time,
}
