namespace KernelForge.Core;

/// <summary>
/// A Python number among a problem's <c>get_inputs()</c> (KernelBench's <c>A * s</c> with <c>s = 3.14</c>): part of the
/// problem, the same for every seed. An ABI entry does not receive it (the translator bakes it into the kernel; a
/// hand-written kernel hard-codes it); a torch-extension candidate is called with it at <see cref="Position"/>.
/// </summary>
/// <param name="Position">Its index in <c>get_inputs()</c>, counting tensors too.</param>
/// <param name="Value">The number as JSON writes it (<c>3.14</c>, <c>7</c>, <c>true</c>), so its Python type survives the round trip.</param>
public sealed record ScalarInput(int Position, string Value);
