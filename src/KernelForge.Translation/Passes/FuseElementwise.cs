using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Merges chains of elementwise operations into <see cref="FusedPointwiseOp"/>s, so intermediates stay in registers.</summary>
/// <remarks>
/// An elementwise result is inlined into its consumer when exactly one operation reads it, that operation is elementwise,
/// and it is not an output; constants are always inlined as literals. Every other elementwise result is materialized
/// by a fused operation of its own. Broadcasting composes (right-aligned), so an inlined producer of a smaller shape is
/// recomputed per element of its consumer: cheap next to the memory traffic it saves.
/// </remarks>
public sealed class FuseElementwise : IGraphPass
{
    public string Name => nameof(FuseElementwise);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var consumers = new Dictionary<string, List<Operation>>(StringComparer.Ordinal);
        foreach (var operation in graph.Operations)
        {
            foreach (var operand in operation.Operands.Distinct())
            {
                if (!consumers.TryGetValue(operand, out var list))
                {
                    consumers[operand] = list = [];
                }

                list.Add(operation);
            }
        }

        var outputs = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
        var expressions = new Dictionary<string, (PointwiseExpression Expression, IEnumerable<string> Origins)>(StringComparer.Ordinal);
        var operations = new List<Operation>();
        foreach (var operation in graph.Operations)
        {
            if (!IsElementwise(operation))
            {
                operations.Add(operation);
                continue;
            }

            var origins = new List<string>(operation.Origins);
            var expression = Build(operation, name =>
            {
                if (expressions.TryGetValue(name, out var inlined))
                {
                    origins.AddRange(inlined.Origins);
                    return inlined.Expression;
                }

                return new LoadExpression(name);
            });

            var result = operation.Result.Name;
            var readers = consumers.GetValueOrDefault(result) ?? [];
            var inline = operation is ConstantOp || (readers is [var single] && IsElementwise(single) && !outputs.Contains(result));
            if (inline)
            {
                expressions[result] = (expression, origins);
            }

            var needsMemory = outputs.Contains(result) || readers.Any(r => !IsElementwise(r)) || !inline;
            if (needsMemory)
            {
                operations.Add(new FusedPointwiseOp(operation.Result, expression) { Origins = [.. origins.Distinct(StringComparer.Ordinal)] });
            }
        }

        return graph with { Operations = [.. operations] };
    }

    private static bool IsElementwise(Operation operation) => operation is UnaryOp or BinaryOp or ConstantOp or FusedPointwiseOp;

    private static PointwiseExpression Build(Operation operation, Func<string, PointwiseExpression> operand) => operation switch
    {
        UnaryOp unary => new UnaryExpression(unary.Kind, operand(unary.Operand)),
        BinaryOp binary => new BinaryExpression(binary.Kind, operand(binary.Left), operand(binary.Right)),
        ConstantOp constant => new ConstantExpression(constant.Value),
        FusedPointwiseOp fused => Substitute(fused.Expression, operand),
        _ => throw new ArgumentException($"{operation.GetType().Name} is not elementwise.", nameof(operation)),
    };

    private static PointwiseExpression Substitute(PointwiseExpression expression, Func<string, PointwiseExpression> operand) => expression switch
    {
        LoadExpression load => operand(load.Value),
        UnaryExpression unary => unary with { Operand = Substitute(unary.Operand, operand) },
        BinaryExpression binary => binary with { Left = Substitute(binary.Left, operand), Right = Substitute(binary.Right, operand) },
        _ => expression,
    };
}
