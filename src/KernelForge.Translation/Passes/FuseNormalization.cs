using System.Collections.Immutable;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>Recognizes RMS norm written out in elementwise ops and a mean, and replaces it by one <see cref="RowRmsNormOp"/>.</summary>
/// <remarks>
/// Matches <c>x / sqrt(mean(x*x, -1, keepdim) + eps)</c> and <c>x * rsqrt(mean(x*x, -1, keepdim) + eps)</c> (with
/// <c>x*x</c> also as <c>pow(x, 2)</c>, either operand order where the op commutes), optionally multiplied by a weight
/// vector of the row's length. Every intermediate must be read by the pattern alone, or the rewrite would lose it.
/// Softmax, log-softmax and layer norm need no pattern: the frontend maps their ATen ops straight to row operations.
/// </remarks>
public sealed class FuseNormalization : IGraphPass
{
    public string Name => nameof(FuseNormalization);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var context = new Context(graph);
        var operations = graph.Operations.ToList();
        var taken = new HashSet<Operation>(ReferenceEqualityComparer.Instance);
        for (var i = operations.Count - 1; i >= 0; i--)
        {
            if (!taken.Contains(operations[i]) && Match(operations[i], context) is { } match)
            {
                operations[i] = match.Replacement;
                taken.UnionWith(match.Matched);
            }
        }

        return graph with { Operations = [.. operations] };
    }

    private static Rewrite? Match(Operation operation, Context context)
    {
        if (MatchCore(operation, context) is { } core)
        {
            return core;
        }

        if (operation is not BinaryOp { Kind: BinaryOpKind.Mul } scale)
        {
            return null;
        }

        foreach (var (inner, weight) in new[] { (scale.Left, scale.Right), (scale.Right, scale.Left) })
        {
            if (context.SoleProducer(inner) is { } producer && MatchCore(producer, context) is { } weighted
                && context.Values[weight].Shape is var w && w.ElementCount == scale.Result.Shape.Last
                && w.Extents.SkipLast(1).All(e => e == 1) && context.Producer(weight) is not ConstantOp
                && weighted.Replacement is RowRmsNormOp norm)
            {
                return new Rewrite(
                    new RowRmsNormOp(scale.Result, norm.Source, weight, norm.Epsilon, norm.Form) { Origins = Origins(scale, weighted) },
                    [.. weighted.Matched, producer]);
            }
        }

        return null;
    }

    /// <summary><c>x / sqrt(ms + eps)</c> or <c>x * rsqrt(ms + eps)</c>, with <c>ms = mean(x*x, last axis, keepdim)</c>.</summary>
    private static Rewrite? MatchCore(Operation operation, Context context)
    {
        if (operation is not BinaryOp { Kind: BinaryOpKind.Div or BinaryOpKind.Mul } top)
        {
            return null;
        }

        var (root, form) = top.Kind == BinaryOpKind.Div ? (UnaryOpKind.Sqrt, RmsNormForm.DivideBySqrt) : (UnaryOpKind.Rsqrt, RmsNormForm.MultiplyByRsqrt);
        var orders = top.Kind == BinaryOpKind.Div ? new[] { (top.Left, top.Right) } : [(top.Left, top.Right), (top.Right, top.Left)];
        foreach (var (x, r) in orders)
        {
            if (context.Values[x].Shape != top.Result.Shape || top.Result.Shape.Rank == 0
                || context.SoleProducer(r) is not UnaryOp unary || unary.Kind != root
                || context.SoleProducer(unary.Operand) is not BinaryOp { Kind: BinaryOpKind.Add } add)
            {
                continue;
            }

            foreach (var (ms, eps) in new[] { (add.Left, add.Right), (add.Right, add.Left) })
            {
                if (context.Producer(eps) is ConstantOp constant
                    && context.SoleProducer(ms) is ReductionOp { Kind: ReductionKind.Mean } mean
                    && mean.Axis == top.Result.Shape.Rank - 1 && mean.Result.Shape.Rank == top.Result.Shape.Rank
                    && context.SoleProducer(mean.Source) is BinaryOp square && IsSquareOf(square, x, context))
                {
                    Operation[] matched = [unary, add, mean, square];
                    return new Rewrite(
                        new RowRmsNormOp(top.Result, x, null, constant.Value, form) { Origins = Origins([top, .. matched, constant]) },
                        matched);
                }
            }
        }

        return null;
    }

    private static bool IsSquareOf(BinaryOp square, string x, Context context) => square switch
    {
        { Kind: BinaryOpKind.Mul } => square.Left == x && square.Right == x,
        { Kind: BinaryOpKind.Pow } => square.Left == x && context.Producer(square.Right) is ConstantOp { Value: 2.0 },
        _ => false,
    };

    private static ImmutableArray<string> Origins(params Operation[] operations) =>
        [.. operations.SelectMany(o => o.Origins).Distinct(StringComparer.Ordinal)];

    private static ImmutableArray<string> Origins(Operation scale, Rewrite weighted) =>
        [.. scale.Origins.Concat(weighted.Replacement.Origins).Distinct(StringComparer.Ordinal)];

    private sealed record Rewrite(Operation Replacement, IReadOnlyList<Operation> Matched);

    /// <summary>Producers and readers of every value, to check that a pattern's intermediates are read by the pattern alone.</summary>
    private sealed class Context
    {
        private readonly IReadOnlyDictionary<string, Operation> _producers;
        private readonly Dictionary<string, int> _readers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _outputs;

        public Context(IRGraph graph)
        {
            Values = graph.Values();
            _producers = graph.Producers();
            _outputs = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
            foreach (var operand in graph.Operations.SelectMany(o => o.Operands.Distinct()))
            {
                _readers[operand] = _readers.GetValueOrDefault(operand) + 1;
            }
        }

        public IReadOnlyDictionary<string, IRValue> Values { get; }

        public Operation? Producer(string name) => _producers.GetValueOrDefault(name);

        /// <summary>The producer of <paramref name="name"/> when exactly one operation reads it and it is not an output.</summary>
        public Operation? SoleProducer(string name) =>
            _readers.GetValueOrDefault(name) == 1 && !_outputs.Contains(name) ? Producer(name) : null;
    }
}
