namespace KernelForge.Translation.IR;

/// <summary>Matrix product <c>left @ right (+ bias)</c>: <c>[M, K] @ [K, N]</c>, or batched <c>[B, M, K] @ [B, K, N]</c> (aten.mm, bmm, addmm).</summary>
/// <remarks>
/// <c>TransposeLeft</c>/<c>TransposeRight</c>: the operand value holds the matrix with its last two axes swapped
/// (<c>[K, M]</c> for the left), a transpose folded into how the kernel indexes it (<see cref="Passes.FoldTransposes"/>).<br/>
/// <c>Bias</c>: a tensor that broadcasts to <c>[M, N]</c>, added to every product (addmm with beta = alpha = 1); 2-D products only.<br/>
/// Accumulation is in float32, one fused multiply-add per term.
/// </remarks>
public sealed record MatmulOp(IRValue Result, string Left, string Right, string? Bias, bool TransposeLeft, bool TransposeRight) : Operation(Result)
{
    /// <summary>An elementwise chain applied as each result is stored, or null; see <see cref="IR.Epilogue"/>.</summary>
    public Epilogue? Epilogue { get; init; }

    public override IReadOnlyList<string> Operands => [Left, Right, .. Bias is null ? [] : new[] { Bias }, .. Epilogue?.Loads ?? []];

    public override Operation RenameOperands(Func<string, string> rename) =>
        this with { Left = rename(Left), Right = rename(Right), Bias = Bias is null ? null : rename(Bias), Epilogue = Epilogue?.Rename(rename) };

    public override string Describe() =>
        $"matmul(%{Left}{(TransposeLeft ? ".T" : "")}, %{Right}{(TransposeRight ? ".T" : "")}, bias={IRPrinter.Optional(Bias)}{(Epilogue is null ? "" : $", epilogue={Epilogue}")})";

    /// <summary>The logical <c>[.., rows, columns]</c> shape of an operand stored as <paramref name="stored"/>.</summary>
    public static Shape Logical(Shape stored, bool transposed) =>
        transposed && stored.Rank >= 2 ? Shape.Of([.. stored.Extents[..^2], stored.Extents[^1], stored.Extents[^2]]) : stored;
}
