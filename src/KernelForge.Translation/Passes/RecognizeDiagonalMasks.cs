using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>
/// <c>where(arange(N)[:, None] == arange(N)[None, :], v, 0)</c> is <c>diag(v)</c>: the select becomes a <see cref="DiagonalOp"/>,
/// so that <see cref="SimplifyDiagonalProducts"/> sees it.
/// </summary>
/// <remarks>
/// Core-ATen decomposition writes <c>torch.diag(v)</c> of a vector (through <c>diag_embed</c>) as an equality mask of two
/// aranges, one per axis, selecting the vector broadcast over the matrix, zero elsewhere; a problem may also write it so. The pass
/// proves that shape, whatever order the graph writes it in: the condition is an equality of two index vectors, one along
/// each axis of the <c>[N, N]</c> result, with the same offset (an arange of step 1 through views, expands, conversions and
/// integer additions); the kept value is a length-N vector broadcast along either axis (on the diagonal <c>v[i] = v[j]</c>);
/// the other branch is the constant 0. Anything else (an offset diagonal, a mask of another shape) is left alone. The
/// aranges and the mask lose their readers and <see cref="EliminateDeadValues"/> removes them.
/// </remarks>
public sealed class RecognizeDiagonalMasks : IGraphPass
{
    public string Name => nameof(RecognizeDiagonalMasks);

    public IRGraph Run(IRGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producers = graph.Producers();
        var values = graph.Values();
        var names = new HashSet<string>(values.Keys, StringComparer.Ordinal);
        var operations = new List<Operation>();
        foreach (var operation in graph.Operations)
        {
            if (operation is SelectOp select && Diagonal(select, producers, values) is { } vector)
            {
                var source = vector;
                if (values[vector].Shape.Rank != 1)
                {
                    var flat = new IRValue(FreshNames.Take(names, vector + "_vector"), Shape.Of(select.Result.Shape[0]), values[vector].DataType);
                    operations.Add(new ReshapeOp(flat, vector) { Origins = select.Origins });
                    source = flat.Name;
                }

                operations.Add(new DiagonalOp(select.Result, source) { Origins = select.Origins });
                continue;
            }

            operations.Add(operation);
        }

        return graph with { Operations = [.. operations] };
    }

    /// <summary>The vector on the diagonal when <paramref name="select"/> is <c>diag(vector)</c>, else null.</summary>
    private static string? Diagonal(SelectOp select, IReadOnlyDictionary<string, Operation> producers, IReadOnlyDictionary<string, IRValue> values)
    {
        var shape = select.Result.Shape;
        if (shape.Rank != 2 || shape[0] != shape[1] || shape[0] < 1 || select.Result.DataType != DataType.Float32
            || producers.GetValueOrDefault(select.Condition) is not BinaryOp { Kind: BinaryOpKind.Equal } equal
            || !IsZero(select.IfFalse, producers))
        {
            return null;
        }

        var n = shape[0];
        if (IndexAlong(equal.Left, n, producers, values) is not { } left || IndexAlong(equal.Right, n, producers, values) is not { } right
            || left.Axis == right.Axis || left.Offset != right.Offset)
        {
            return null;
        }

        return AxisOf(values[select.IfTrue].Shape, n) is not null && values[select.IfTrue].Shape.ElementCount == n ? select.IfTrue : null;
    }

    /// <summary>
    /// When <paramref name="name"/>, broadcast to <c>[n, n]</c>, holds <c>index along Axis + Offset</c> at every element:
    /// the axis and the offset; else null.
    /// </summary>
    private static (int Axis, long Offset)? IndexAlong(string name, long n, IReadOnlyDictionary<string, Operation> producers, IReadOnlyDictionary<string, IRValue> values)
    {
        var value = values[name];
        if (AxisOf(value.Shape, n) is not { } axis)
        {
            // Both extents n: an expand of a vector along one axis (torch's broadcast written out).
            return value.Shape.Rank == 2 && producers.GetValueOrDefault(name) is UnaryOp { Kind: UnaryOpKind.Identity } expand
                ? IndexAlong(expand.Operand, n, producers, values)
                : null;
        }

        return Arange(name, n, producers, values) is { } offset ? (axis, offset) : null;
    }

    /// <summary>
    /// The axis of <c>[n, n]</c> along which a value of <paramref name="shape"/> varies when broadcast to it (right-aligned):
    /// exactly one extent n (rank 1: the last axis), the others 1; else null.
    /// </summary>
    private static int? AxisOf(Shape shape, long n)
    {
        return shape.Rank switch
        {
            1 when shape[0] == n => 1,
            2 when shape[0] == n && shape[1] == 1 && n > 1 => 0,
            2 when shape[1] == n && shape[0] == 1 => 1,
            _ => null,
        };
    }

    /// <summary>The offset c when the n elements of <paramref name="name"/>, in order, are <c>c, c + 1, …, c + n - 1</c>; else null.</summary>
    private static long? Arange(string name, long n, IReadOnlyDictionary<string, Operation> producers, IReadOnlyDictionary<string, IRValue> values)
    {
        if (values[name].Shape.ElementCount != n)
        {
            return null;
        }

        return producers.GetValueOrDefault(name) switch
        {
            IotaOp { Step: 1 } iota => iota.Start,
            ReshapeOp reshape => Arange(reshape.Source, n, producers, values),
            ConvertOp convert => Arange(convert.Source, n, producers, values),
            UnaryOp { Kind: UnaryOpKind.Identity } identity => Arange(identity.Operand, n, producers, values),
            BinaryOp { Kind: BinaryOpKind.Add } add when IntegerConstant(add.Right, producers) is { } c => Arange(add.Left, n, producers, values) + c,
            BinaryOp { Kind: BinaryOpKind.Add } add when IntegerConstant(add.Left, producers) is { } c => Arange(add.Right, n, producers, values) + c,
            BinaryOp { Kind: BinaryOpKind.Sub } sub when IntegerConstant(sub.Right, producers) is { } c => Arange(sub.Left, n, producers, values) - c,
            _ => null,
        };
    }

    private static long? IntegerConstant(string name, IReadOnlyDictionary<string, Operation> producers) =>
        producers.GetValueOrDefault(name) is ConstantOp constant && constant.Value == Math.Round(constant.Value) && Math.Abs(constant.Value) < IotaOp.ExactLimit
            ? (long)constant.Value
            : null;

    private static bool IsZero(string name, IReadOnlyDictionary<string, Operation> producers) => producers.GetValueOrDefault(name) switch
    {
        ConstantOp constant => constant.Value == 0,
        ReshapeOp reshape => IsZero(reshape.Source, producers),
        UnaryOp { Kind: UnaryOpKind.Identity } identity => IsZero(identity.Operand, producers),
        _ => false,
    };
}
