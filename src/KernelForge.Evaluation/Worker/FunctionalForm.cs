namespace KernelForge.Evaluation.Worker;

/// <summary>
/// What the worker's <c>functionalize</c> wrote and found: the problem's functional form (<c>module_fn</c> plus a
/// <c>Model</c> calling it) and how it compared with the problem's own Model on every seed.
/// </summary>
/// <remarks>
/// <c>Matches</c> is true only when every seed passed; the file at <c>OutputPath</c> is written either way.
/// <c>Capture</c> says how the graph was captured (torch.export, or make_fx on a torch without it).
/// </remarks>
public sealed record FunctionalForm(
    string OutputPath,
    string ProblemHash,
    string TorchVersion,
    string Capture,
    int Nodes,
    bool Matches,
    IReadOnlyList<FunctionalFormCheck> Sets,
    IReadOnlyList<string> Warnings);
