namespace KernelForge.Translation.IR;

/// <summary><c>torch.arange(start, end, step)</c>: the vector <c>start + step·i</c>, built on the GPU (index masks such as tril, diag_embed).</summary>
/// <remarks>
/// Integer ranges are carried as float32, which holds every integer below 2^24 exactly; the importer refuses a range
/// that reaches past that. Consumers read it as any other leaf, broadcast through its views; it is a copy-family kernel
/// of N elements, never fused, so its index is always its own.
/// </remarks>
public sealed record IotaOp(IRValue Result, long Start, long Step) : Operation(Result)
{
    /// <summary>float32 holds every integer below 2^24 exactly (24-bit significand).</summary>
    public const long ExactLimit = 16_777_216;

    public override IReadOnlyList<string> Operands => [];

    /// <summary>Whether every value of <c>start + step·i</c>, i &lt; <paramref name="count"/>, is exact in float32.</summary>
    public static bool StaysExact(long start, long step, long count) =>
        Math.Abs((double)start) < ExactLimit && Math.Abs((double)start + ((double)step * (count - 1))) < ExactLimit;

    public override Operation RenameOperands(Func<string, string> rename) => this;

    public override string Describe() => $"arange(start {Start}, step {Step}, {Result.Shape[0]} elements)";
}
