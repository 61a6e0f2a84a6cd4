namespace KernelForge.Evaluation.Validation;

/// <summary>
/// One dotted name in Python code (<c>torch.cuda.Event</c>), resolved through the file's imports, so that
/// <c>import torch.cuda as tc; tc.Event</c> and <c>from torch.cuda import Event</c> both read <c>torch.cuda.Event</c>.
/// </summary>
/// <param name="Name">The resolved dotted name.</param>
/// <param name="Line">1-based line of its first part.</param>
/// <param name="IsImport">It is the module or name of an <c>import</c> statement.</param>
/// <param name="IsCall">A <c>(</c> follows it.</param>
/// <param name="IsAssignment">An assignment (<c>=</c>, <c>+=</c>, …) or <c>del</c> targets it.</param>
/// <param name="RootIsModule">Its first part names an imported module or name (or a conventional alias: <c>torch</c>, <c>F</c>, <c>nn</c>).</param>
public readonly record struct PythonReference(string Name, int Line, bool IsImport, bool IsCall, bool IsAssignment, bool RootIsModule);
