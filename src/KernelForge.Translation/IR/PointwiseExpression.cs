namespace KernelForge.Translation.IR;

/// <summary>A tree of elementwise operations over loaded values and constants: the body of a <see cref="FusedPointwiseOp"/>.</summary>
/// <remarks>Records compare structurally, so equal subtrees are found by equality (the emitter computes each once).</remarks>
public abstract record PointwiseExpression
{
    /// <summary>The same tree, loading <c>rename(name)</c> instead of each value.</summary>
    public abstract PointwiseExpression Rename(Func<string, string> rename);

    /// <summary>The distinct values loaded by <paramref name="expression"/>, in left-to-right order of first use.</summary>
    public static IReadOnlyList<string> LoadsOf(PointwiseExpression expression)
    {
        var loads = new List<string>();
        Visit(expression);
        return loads;

        void Visit(PointwiseExpression node)
        {
            switch (node)
            {
                case LoadExpression load when !loads.Contains(load.Value):
                    loads.Add(load.Value);
                    break;
                case UnaryExpression unary:
                    Visit(unary.Operand);
                    break;
                case BinaryExpression binary:
                    Visit(binary.Left);
                    Visit(binary.Right);
                    break;
                case SelectExpression select:
                    Visit(select.Condition);
                    Visit(select.IfTrue);
                    Visit(select.IfFalse);
                    break;
            }
        }
    }
}
