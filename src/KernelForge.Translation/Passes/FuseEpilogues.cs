using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Moves the elementwise chain that follows a matmul or convolution into the product's store (an epilogue).</summary>
/// <remarks>
/// Applies when the product's only reader is one <see cref="FusedPointwiseOp"/> of the product's shape and the product is
/// not an output: the fused op's expression, reading the product as <see cref="Epilogue.Accumulator"/>, becomes the
/// product's epilogue, and the product takes over the fused op's result and place (its operands are all defined by then).
/// Runs after <see cref="FuseElementwise"/>, so the whole chain (activation, bias, scale, residual add, eval-mode batch
/// norm) is one expression. Saves a full write and read of the product.
/// </remarks>
public sealed class FuseEpilogues : IGraphPass
{
    public string Name => nameof(FuseEpilogues);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var readers = graph.Readers();

        var outputs = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
        var absorbed = new Dictionary<Operation, Operation>(ReferenceEqualityComparer.Instance);
        var moved = new HashSet<Operation>(ReferenceEqualityComparer.Instance);
        foreach (var product in graph.Operations.Where(o => o is MatmulOp { Epilogue: null } or ConvolutionOp { Epilogue: null }))
        {
            var name = product.Result.Name;
            if (outputs.Contains(name) || readers.GetValueOrDefault(name) is not [FusedPointwiseOp chain]
                || chain.Result.Shape != product.Result.Shape || absorbed.ContainsKey(chain))
            {
                continue;
            }

            var epilogue = new Epilogue(chain.Expression.Rename(value => value == name ? Epilogue.Accumulator : value));
            absorbed[chain] = (product switch
            {
                MatmulOp matmul => matmul with { Result = chain.Result, Epilogue = epilogue },
                ConvolutionOp convolution => convolution with { Result = chain.Result, Epilogue = epilogue },
                _ => product,
            }).WithOrigins(chain.Origins);
            moved.Add(product);
        }

        var operations = graph.Operations.Where(o => !moved.Contains(o)).Select(o => absorbed.GetValueOrDefault(o, o));
        return graph with { Operations = [.. operations] };
    }
}
