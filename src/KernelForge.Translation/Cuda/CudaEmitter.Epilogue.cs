using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Epilogues of matmuls and convolutions: the fused elementwise chain applied to each result as it is stored.</summary>
public sealed partial class CudaEmitter
{
    /// <summary>How a kernel applies its epilogue: extra kernel and launcher parameters, the launch arguments, and the store expression.</summary>
    private sealed record EpilogueCode(string KernelParameters, string LauncherParameters, string Arguments, IReadOnlyList<string> Loads, Func<string, string, string> Apply)
    {
        public static EpilogueCode None { get; } = new("", "", "", [], (value, _) => value);
    }

    /// <summary>
    /// Writes <c>{name}_epilogue(acc, e0…)</c> for <paramref name="epilogue"/> (none: the value is stored as is). <c>Apply(value, flat)</c>
    /// gives the stored expression for the result element at flat index <c>flat</c> of <paramref name="output"/>.
    /// </summary>
    private EpilogueCode WriteEpilogue(string name, Epilogue? epilogue, Shape output)
    {
        if (epilogue is null)
        {
            return EpilogueCode.None;
        }

        var loads = epilogue.Loads;
        var (statements, result) = ExpressionWriter.Write(epilogue.Expression, leaf => leaf == Epilogue.Accumulator ? "acc" : Invariant($"e{Index(loads, leaf)}"));
        _helpers |= statements.Any(s => s.Contains("kf_maximum(", StringComparison.Ordinal)) ? DeviceHelpers.Maximum : 0;
        _helpers |= statements.Any(s => s.Contains("kf_minimum(", StringComparison.Ordinal)) ? DeviceHelpers.Minimum : 0;
        var w = _kernels;
        w.Line($"// epilogue of {name}: {epilogue}");
        w.Open($"__device__ __forceinline__ float {name}_epilogue(float acc{string.Concat(loads.Select((_, j) => Invariant($", float e{j}")))})");
        foreach (var statement in statements)
        {
            w.Line(statement);
        }

        w.Line($"return {result};");
        w.Close();
        w.Line();
        var indices = loads.Select(leaf => LeafIndex.Classify(_values[leaf].Shape, output)).ToList();
        return new EpilogueCode(
            string.Concat(loads.Select((_, j) => Invariant($"const float* __restrict__ e{j}, "))),
            string.Concat(loads.Select((_, j) => Invariant($"const float* e{j}, "))),
            string.Concat(loads.Select((_, j) => Invariant($"e{j}, "))),
            loads,
            (value, flat) => $"{name}_epilogue({value}{string.Concat(indices.Select((index, j) => Invariant($", __ldg(e{j} + {index.Index(flat)})")))})");
    }
}
