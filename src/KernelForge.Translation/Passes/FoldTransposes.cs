using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Folds transposes into the matmuls that read them: the matmul reads the transpose's source with its operand flag flipped.</summary>
/// <remarks>
/// Runs after <see cref="FoldViews"/>, so a same-shape view or copy between the transpose and the matmul (as export writes
/// for <c>torch.matmul</c> of batched operands) is already gone. A transpose of a transpose folds twice. The transpose
/// itself stays for any other reader; <see cref="EliminateDeadValues"/> drops it when none is left, and the emitter
/// refuses one that remains. The matmul takes over the transpose's origins.
/// </remarks>
public sealed class FoldTransposes : IGraphPass
{
    public string Name => nameof(FoldTransposes);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producers = graph.Producers();
        var operations = graph.Operations.Select(operation =>
        {
            if (operation is not MatmulOp matmul)
            {
                return operation;
            }

            var origins = new List<string>();
            var (left, transposeLeft) = Unwrap(matmul.Left, matmul.TransposeLeft);
            var (right, transposeRight) = Unwrap(matmul.Right, matmul.TransposeRight);
            return left == matmul.Left && right == matmul.Right
                ? matmul
                : (matmul with { Left = left, Right = right, TransposeLeft = transposeLeft, TransposeRight = transposeRight }).WithOrigins(origins);

            (string Name, bool Transposed) Unwrap(string name, bool transposed)
            {
                while (producers.TryGetValue(name, out var producer) && producer is TransposeOp transpose)
                {
                    origins.AddRange(transpose.Origins);
                    (name, transposed) = (transpose.Source, !transposed);
                }

                return (name, transposed);
            }
        });
        return graph with { Operations = [.. operations] };
    }
}
