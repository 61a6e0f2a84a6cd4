using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>A matrix product with a diagonal matrix is a scale: <c>diag(v) @ B = v[:, None] · B</c>, <c>A @ diag(v) = A · v[None, :]</c>.</summary>
/// <remarks>
/// Structure the reference spells expensively (an N³ product of which N² terms are zero) becomes one elementwise pass.
/// Applies to 2-D products without bias or transposed operands; the diagonal matrix stays for any other reader, and
/// <see cref="EliminateDeadValues"/> removes it when none is left. Runs before <see cref="FuseElementwise"/>, so the scale
/// fuses with what follows.
/// </remarks>
public sealed class SimplifyDiagonalProducts : IGraphPass
{
    public string Name => nameof(SimplifyDiagonalProducts);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producers = graph.Producers();
        var values = graph.Values();
        var names = new HashSet<string>(values.Keys, StringComparer.Ordinal);
        var operations = new List<Operation>();
        foreach (var operation in graph.Operations)
        {
            if (operation is MatmulOp { Bias: null, TransposeLeft: false, TransposeRight: false, Epilogue: null } matmul && matmul.Result.Shape.Rank == 2)
            {
                var (vector, rows) = producers.GetValueOrDefault(matmul.Left) is DiagonalOp left ? (left.Source, true)
                    : producers.GetValueOrDefault(matmul.Right) is DiagonalOp right ? (right.Source, false)
                    : (null, false);
                if (vector is not null)
                {
                    var other = rows ? matmul.Right : matmul.Left;
                    var n = values[vector].Shape[0];
                    var viewed = new IRValue(FreshNames.Take(names, vector + (rows ? "_rows" : "_columns")), rows ? Shape.Of(n, 1) : Shape.Of(1, n), values[vector].DataType);
                    operations.Add(new ReshapeOp(viewed, vector) { Origins = matmul.Origins });
                    operations.Add(new BinaryOp(matmul.Result, BinaryOpKind.Mul, rows ? viewed.Name : other, rows ? other : viewed.Name) { Origins = matmul.Origins });
                    continue;
                }
            }

            operations.Add(operation);
        }

        return graph with { Operations = [.. operations] };
    }
}
