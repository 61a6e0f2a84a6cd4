namespace KernelForge.Translation.IR;

/// <summary><c>torch.arange(start, end, step)</c>: the vector <c>start + step·i</c>, built on the GPU (index masks such as tril, diag_embed).</summary>
/// <remarks>
/// Integer ranges are carried as float32, which holds every integer below 2^24 exactly; the importer refuses a range
/// that reaches past that. Consumers read it as any other leaf, broadcast through its views; it is a copy-family kernel
/// of N elements, never fused, so its index is always its own.
/// </remarks>
public sealed record IotaOp(IRValue Result, long Start, long Step) : Operation(Result)
{
    public override IReadOnlyList<string> Operands => [];

    public override Operation RenameOperands(Func<string, string> rename) => this;

    public override string Describe() => $"arange(start {Start}, step {Step}, {Result.Shape[0]} elements)";
}
