using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>
/// A matrix product whose result is one column or one row is a sum of products:
/// <c>A[M, K] @ b[K, 1] = sum(A · bᵀ, axis 1)</c> and <c>a[1, K] @ B[K, N] = sum(aᵀ · B, axis 0)</c>.
/// </summary>
/// <remarks>
/// A tiled GEMM kernel spends a whole tile on the one column (or row) it computes, and launches only M/64 (N/64) blocks
/// along the other side: on a 2048 × 1048576 matrix times a vector, 32 blocks for 132 SMs. As a reduction with the
/// multiply in its prologue (<see cref="FusePrologues"/>), the matrix is read once at full bandwidth, which is the floor
/// of a matrix-vector product. Applies to 2-D products without bias (what export makes of <c>A @ b</c> with a 2-D
/// <c>b</c>; a 1-D <c>b</c> is already decomposed into a multiply and a sum). Runs before <see cref="FuseElementwise"/>.
/// </remarks>
public sealed class SimplifyVectorProducts : IGraphPass
{
    public string Name => nameof(SimplifyVectorProducts);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var values = graph.Values();
        var names = new HashSet<string>(values.Keys, StringComparer.Ordinal);
        var operations = new List<Operation>();
        foreach (var operation in graph.Operations)
        {
            if (operation is MatmulOp { Bias: null, Epilogue: null } matmul && matmul.Result.Shape.Rank == 2 && matmul.Result.DataType == DataType.Float32
                && (matmul.Result.Shape[1] == 1 || matmul.Result.Shape[0] == 1))
            {
                // The matrix operand, as stored, and the vector: with n = 1 the left operand is the matrix, else the right.
                var columnResult = matmul.Result.Shape[1] == 1;
                var (matrix, vector) = columnResult ? (matmul.Left, matmul.Right) : (matmul.Right, matmul.Left);
                var stored = values[matrix].Shape;

                // K runs along the stored matrix's axis 1 for A[M, K] and Bᵀ[N, K], along axis 0 for Aᵀ[K, M] and B[K, N].
                var axis = columnResult ? (matmul.TransposeLeft ? 0 : 1) : (matmul.TransposeRight ? 1 : 0);
                var k = stored[axis];
                var vectorShape = axis == 1 ? Shape.Of(1, k) : Shape.Of(k, 1);
                var vectorView = values[vector].Shape == vectorShape ? vector : View(operations, names, matmul, vector, vectorShape);
                var products = new IRValue(FreshNames.Take(names, matmul.Result.Name + "_products"), stored, DataType.Float32);
                operations.Add(new BinaryOp(products, BinaryOpKind.Mul, matrix, vectorView) { Origins = matmul.Origins });

                var sumShape = axis == 1 ? Shape.Of(stored[0], 1) : Shape.Of(1, stored[1]);
                if (sumShape == matmul.Result.Shape)
                {
                    operations.Add(new ReductionOp(matmul.Result, ReductionKind.Sum, products.Name, axis) { Origins = matmul.Origins });
                }
                else
                {
                    // A transposed matrix sums into the transposed vector shape, which has the same element order.
                    var sum = new IRValue(FreshNames.Take(names, matmul.Result.Name + "_sum"), sumShape, DataType.Float32);
                    operations.Add(new ReductionOp(sum, ReductionKind.Sum, products.Name, axis) { Origins = matmul.Origins });
                    operations.Add(new ReshapeOp(matmul.Result, sum.Name) { Origins = matmul.Origins });
                }

                continue;
            }

            operations.Add(operation);
        }

        return graph with { Operations = [.. operations] };
    }

    private static string View(List<Operation> operations, HashSet<string> names, MatmulOp matmul, string source, Shape shape)
    {
        var viewed = new IRValue(FreshNames.Take(names, source + "_vector"), shape, DataType.Float32);
        operations.Add(new ReshapeOp(viewed, source) { Origins = matmul.Origins });
        return viewed.Name;
    }
}
