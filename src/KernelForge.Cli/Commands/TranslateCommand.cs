using System.CommandLine;
using KernelForge.Evaluation.Validation;
using KernelForge.Translation.Cuda;
using Spectre.Console;

namespace KernelForge.Cli.Commands;

/// <summary><c>kforge translate problem.py</c>: the built-in translator alone: export the problem, lower it, write the ABI <c>.cu</c>.</summary>
internal sealed class TranslateCommand : Command
{
    private static readonly Argument<FileInfo> ProblemArgument = new("problem")
    {
        Description = "The problem: a KernelBench-format .py (class Model, get_inputs, get_init_inputs).",
    };

    private static readonly Option<FileInfo?> GraphOption = new("--graph")
    {
        Description = "Translate this exported graph (schema v1, docs/graph-schema.md) instead of exporting the problem with torch.",
    };

    private static readonly Option<FileInfo?> OutOption = new("--out", "-o")
    {
        Description = "Where to write the generated .cu [default: out/<problem>/kernel.cu].",
    };

    private static readonly Option<LibraryPolicy> LibraryPolicyOption = KebabCaseEnum.Option(
        "--library-policy",
        "allow-libraries: matrix products call cuBLAS and convolutions cuDNN (the own kernel stays in the file as the fallback for a NULL handle); pure-cuda: own kernels only, no library call.",
        LibraryPolicy.AllowLibraries);

    private static readonly Option<MathMode> ConvolutionMathOption = KebabCaseEnum.Option(
        "--convolution-math",
        "fp32-fma: implicit-GEMM convolutions on CUDA cores (the default); tf32-tensor-cores: on TF32 tensor cores (wmma, fp32 accumulate, sm_80+), as eager torch runs fp32 convolutions. A schedule knob kforge optimize also tries.",
        MathMode.Fp32Fma);

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print one JSON document: the output path, the IR hash, how each op was lowered, and the diagnostics.",
    };

    public TranslateCommand(IAnsiConsole console)
        : base("translate", "Translate a problem into one KernelForge ABI .cu with the built-in translator (needs torch, not a GPU); says how each op was lowered.")
    {
        Arguments.Add(ProblemArgument);
        Options.Add(GraphOption);
        Options.Add(OutOption);
        Options.Add(LibraryPolicyOption);
        Options.Add(ConvolutionMathOption);
        Options.Add(JsonOption);
        SetAction((parseResult, cancellationToken) =>
        {
            var problem = parseResult.GetRequiredValue(ProblemArgument);
            var output = parseResult.GetValue(OutOption) ?? new FileInfo(Path.Combine("out", Path.GetFileNameWithoutExtension(problem.Name), "kernel.cu"));
            return new TranslateWorkflow(console).RunAsync(
                problem, parseResult.GetValue(GraphOption), output, parseResult.GetValue(LibraryPolicyOption), parseResult.GetValue(ConvolutionMathOption),
                parseResult.GetValue(JsonOption), cancellationToken);
        });
    }
}
