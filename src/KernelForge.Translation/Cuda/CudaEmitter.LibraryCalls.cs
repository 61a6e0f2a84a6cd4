using KernelForge.Translation.IR;

namespace KernelForge.Translation.Cuda;

/// <summary>
/// What the library lowerings (cuBLAS products, <c>CudaEmitter.Cublas.cs</c>; cuDNN convolutions, <c>CudaEmitter.Cudnn.cs</c>)
/// share: the kernel of ours that adds the bias and applies the fused chain in place on the library's result, the
/// entry's choice between the library call and the own kernel, and the strategy text that says so.
/// </summary>
public sealed partial class CudaEmitter
{
    /// <summary>Threads per block of the kernel that applies a bias and epilogue after a library call (grid-stride, not tuned).</summary>
    private const int FinishThreads = 256;

    /// <summary>How a library lowering's result is finished: its result, bias and epilogue, where the library leaves it, and how a bias is indexed.</summary>
    /// <param name="Operation">The product or convolution whose result the library wrote.</param>
    /// <param name="Bias">The bias value added per element, or null.</param>
    /// <param name="Epilogue">The fused elementwise chain applied after the bias, or null.</param>
    /// <param name="Output">The kernel's name for the result (<c>c</c>, <c>y</c>).</param>
    /// <param name="Where">What the library left there, for the comment (<c>cuBLAS's product</c>).</param>
    /// <param name="IndexLines">Declarations the bias index needs, from the flat index <c>o</c>.</param>
    /// <param name="BiasIndex">The bias element added at flat index <c>o</c>.</param>
    private sealed record LibraryFinish(Operation Operation, string? Bias, Epilogue? Epilogue, string Output, string Where, IReadOnlyList<string> IndexLines, string BiasIndex)
    {
        public bool Needed => Bias is not null || Epilogue is not null;

        /// <summary>E.g. <c>, then k0_conv_finish adds the bias in place</c>; empty when nothing is finished.</summary>
        public string Describe(string name) => (Bias is not null, Epilogue is not null) switch
        {
            (true, true) => $", then {name}_finish adds the bias and applies the elementwise chain in place",
            (true, false) => $", then {name}_finish adds the bias in place",
            (false, true) => $", then {name}_finish applies the elementwise chain in place",
            _ => "",
        };
    }

    /// <summary>
    /// Writes <c>{name}_finish</c>, which adds the bias and applies the epilogue in place on the library's result, and its
    /// launcher; returns the entry's launch line.
    /// </summary>
    private string WriteFinishKernel(string name, LibraryFinish finish, FusedCode epilogue)
    {
        var kernel = $"{name}_finish";
        var hasBias = finish.Bias is not null;
        var output = finish.Output;
        var count = finish.Operation.Result.Shape.ElementCount;
        var w = _kernels;
        w.Line($"// {kernel}: {(hasBias ? "the bias" : "")}{(hasBias && finish.Epilogue is not null ? " and " : "")}{(finish.Epilogue is null ? "" : "the epilogue")} of {name}, in place on {finish.Where}; one thread per element, grid-stride.");
        var biasParameter = hasBias ? "const float* __restrict__ bias, " : "";
        w.Open($"__global__ void __launch_bounds__({FinishThreads}) {kernel}({biasParameter}{epilogue.KernelParameters}float* {output})");
        w.Line($"constexpr int64_t kCount = {count};");
        w.Open($"for (int64_t o = (int64_t)blockIdx.x * {FinishThreads} + threadIdx.x; o < kCount; o += (int64_t)gridDim.x * {FinishThreads})");
        if (hasBias)
        {
            foreach (var line in finish.IndexLines)
            {
                w.Line(line);
            }
        }

        var value = hasBias ? $"{output}[o] + __ldg(bias + {finish.BiasIndex})" : $"{output}[o]";
        w.Line($"{output}[o] = {epilogue.Apply(value, "o")};");
        w.Close();
        w.Close();
        w.Line();

        var blocks = Math.Min((count + FinishThreads - 1) / FinishThreads, MaxGridBlocks);
        w.Open($"void launch_{kernel}({(hasBias ? "const float* bias, " : "")}{epilogue.LauncherParameters}float* {output}, cudaStream_t stream)");
        w.Line($"{kernel}<<<{blocks}, {FinishThreads}, 0, stream>>>({(hasBias ? "bias, " : "")}{epilogue.Arguments}{output});");
        w.Close();
        w.Line();
        return LaunchLine(kernel, [.. hasBias ? new[] { finish.Bias! } : [], .. epilogue.Loads, finish.Operation.Result.Name]);
    }

    /// <summary>
    /// The entry's lines: when <paramref name="condition"/> holds, <paramref name="call"/> (a library call returning a
    /// status) and then <paramref name="finish"/>'s launch when there is one; otherwise <paramref name="ownLaunch"/>.
    /// </summary>
    private void AddLibraryOrOwn(string condition, string call, string? finish, string ownLaunch)
    {
        _entryLines.Add($"if ({condition}) {{");
        _entryLines.Add($"    const int status = {call};");
        _entryLines.Add("    if (status != 0) return status;");
        if (finish is not null)
        {
            _entryLines.Add("    " + finish);
        }

        _entryLines.Add("} else {");
        _entryLines.Add("    " + ownLaunch);
        _entryLines.Add("}");
    }
}
