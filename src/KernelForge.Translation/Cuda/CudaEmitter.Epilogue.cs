using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Fused chains inside other kernels: epilogues of matmuls and convolutions, prologues of reductions.</summary>
public sealed partial class CudaEmitter
{
    /// <summary>How a kernel computes a fused chain: extra kernel and launcher parameters, the launch arguments, and the call.</summary>
    /// <remarks><c>Apply(value, flat)</c>: the chain at the element of flat index <c>flat</c> (of the chain's shape), <c>value</c> its accumulator (epilogues only).</remarks>
    private sealed record FusedCode(string KernelParameters, string LauncherParameters, string Arguments, IReadOnlyList<string> Loads, Func<string, string, string> Apply)
    {
        public static FusedCode None { get; } = new("", "", "", [], (value, _) => value);
    }

    private const string AccumulatorParameter = "float acc";

    /// <summary>Writes <c>{name}_epilogue(acc, e0…)</c> for <paramref name="epilogue"/>; none: the value is stored as is.</summary>
    private FusedCode WriteEpilogue(string name, Epilogue? epilogue, Shape output) =>
        epilogue is null ? FusedCode.None : WriteFusedFunction($"{name}_epilogue", $"epilogue of {name}: {epilogue}", epilogue.Expression, epilogue.Loads, output, withAccumulator: true);

    /// <summary>Writes <c>{name}_prologue(e0…)</c>, which computes one source element of the reduction from the chain's loads.</summary>
    private FusedCode WritePrologue(string name, Prologue prologue) =>
        WriteFusedFunction($"{name}_prologue", $"prologue of {name}: each source element is {prologue}", prologue.Expression, prologue.Loads, prologue.ExpressionShape, withAccumulator: false);

    private FusedCode WriteFusedFunction(string function, string comment, PointwiseExpression expression, IReadOnlyList<string> loads, Shape shape, bool withAccumulator)
    {
        var (statements, result) = ExpressionWriter.Write(expression, leaf => leaf == Epilogue.Accumulator ? "acc" : Invariant($"e{Index(loads, leaf)}"));
        UseExpressionHelpers(statements);
        var w = _kernels;
        w.Line($"// {comment}");
        IEnumerable<string> parameters = [.. withAccumulator ? [AccumulatorParameter] : Array.Empty<string>(), .. loads.Select((_, j) => Invariant($"float e{j}"))];
        w.Open($"__device__ __forceinline__ float {function}({string.Join(", ", parameters)})");
        foreach (var statement in statements)
        {
            w.Line(statement);
        }

        w.Line($"return {result};");
        w.Close();
        w.Line();
        var indices = loads.Select(leaf => LeafIndex.Classify(_values[leaf].Shape, shape)).ToList();
        return new FusedCode(
            string.Concat(loads.Select((_, j) => Invariant($"const float* __restrict__ e{j}, "))),
            string.Concat(loads.Select((_, j) => Invariant($"const float* e{j}, "))),
            string.Concat(loads.Select((_, j) => Invariant($"e{j}, "))),
            loads,
            (value, flat) =>
            {
                IEnumerable<string> arguments = [.. withAccumulator ? [value] : Array.Empty<string>(), .. indices.Select((index, j) => Invariant($"__ldg(e{j} + {index.Index(flat)})"))];
                return $"{function}({string.Join(", ", arguments)})";
            });
    }
}
