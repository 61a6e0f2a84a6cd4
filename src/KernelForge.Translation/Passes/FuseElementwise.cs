using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Merges chains of elementwise operations into <see cref="FusedPointwiseOp"/>s, so intermediates stay in registers.</summary>
/// <remarks>
/// An elementwise result is inlined into its consumers when every operation reading it is elementwise, it is not an
/// output, and either one operation reads it or its expression is small (recomputing beats a round trip through memory);
/// constants are always inlined as literals. Every other elementwise result is materialized
/// by a fused operation of its own. Broadcasting composes (right-aligned), so an inlined producer of a smaller shape is
/// recomputed per element of its consumer: cheap next to the memory traffic it saves.
/// </remarks>
public sealed class FuseElementwise : IGraphPass
{
    public string Name => nameof(FuseElementwise);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var consumers = graph.Readers();

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
            // A small expression read by several elementwise ops is recomputed in each rather than stored: a few flops per
            // element cost less than writing and reading it back (within one kernel the emitter computes it once). Bools
            // (comparisons) are always inlined: bool tensors are never materialized.
            var elementwiseReaders = readers.Count > 0 && readers.All(IsElementwise) && !outputs.Contains(result);
            var inline = operation is ConstantOp
                || (elementwiseReaders && (readers.Count == 1 || Size(expression) <= RecomputeLimit || operation.Result.DataType == Core.DataType.Bool));
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

    /// <summary>Expressions up to this many nodes are recomputed by each of several readers (bounds the growth of inlined trees).</summary>
    private const int RecomputeLimit = 8;

    private static int Size(PointwiseExpression expression) => expression switch
    {
        UnaryExpression unary => 1 + Size(unary.Operand),
        BinaryExpression binary => 1 + Size(binary.Left) + Size(binary.Right),
        SelectExpression select => 1 + Size(select.Condition) + Size(select.IfTrue) + Size(select.IfFalse),
        _ => 1,
    };

    private static bool IsElementwise(Operation operation) => operation is UnaryOp or BinaryOp or ConstantOp or FusedPointwiseOp or SelectOp;

    private static PointwiseExpression Build(Operation operation, Func<string, PointwiseExpression> operand) => operation switch
    {
        UnaryOp unary => new UnaryExpression(unary.Kind, operand(unary.Operand)),
        BinaryOp binary => new BinaryExpression(binary.Kind, operand(binary.Left), operand(binary.Right)),
        ConstantOp constant => new ConstantExpression(constant.Value),
        SelectOp select => new SelectExpression(operand(select.Condition), operand(select.IfTrue), operand(select.IfFalse)),
        FusedPointwiseOp fused => Substitute(fused.Expression, operand),
        _ => throw new ArgumentException($"{operation.GetType().Name} is not elementwise.", nameof(operation)),
    };

    private static PointwiseExpression Substitute(PointwiseExpression expression, Func<string, PointwiseExpression> operand) => expression switch
    {
        LoadExpression load => operand(load.Value),
        UnaryExpression unary => unary with { Operand = Substitute(unary.Operand, operand) },
        BinaryExpression binary => binary with { Left = Substitute(binary.Left, operand), Right = Substitute(binary.Right, operand) },
        SelectExpression select => new SelectExpression(Substitute(select.Condition, operand), Substitute(select.IfTrue, operand), Substitute(select.IfFalse, operand)),
        _ => expression,
    };
}
