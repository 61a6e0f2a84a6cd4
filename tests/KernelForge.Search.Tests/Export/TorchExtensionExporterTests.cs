using System.Text.Json.Nodes;
using KernelForge.Core;
using KernelForge.Evaluation.Validation;
using KernelForge.Search.Export;
using KernelForge.Translation;

namespace KernelForge.Search.Tests.Export;

public sealed class TorchExtensionExporterTests
{
    private static readonly string AbiHeader = File.ReadAllText(RepositoryFiles.Find("abi/kforge_abi.h"));

    /// <summary>A translated kernel and the problem it was translated for, with tensors as the graph declares them.</summary>
    private static (string Source, ProblemInfo Problem) Translated(string name, LibraryPolicy policy = LibraryPolicy.AllowLibraries)
    {
        var graph = File.ReadAllText(RepositoryFiles.Find($"tests/KernelForge.Translation.Tests/Graphs/{name}.json"));
        var translation = new Translator { AllowLibraries = policy == LibraryPolicy.AllowLibraries }.Translate(graph);
        Assert.True(translation.Succeeded, string.Join("\n", translation.Diagnostics));
        var json = JsonNode.Parse(graph)!;
        var tensors = json["inputs"]!.AsArray().Select(input => Spec(input!, input!["role"]!.GetValue<string>() == "parameter" ? TensorRole.Parameter : TensorRole.Input)).ToList();
        var nodes = json["nodes"]!.AsArray().ToDictionary(node => node!["name"]!.GetValue<string>(), node => node!);
        var outputs = json["outputs"]!.AsArray().Select(output => Spec(nodes[output!.GetValue<string>()], TensorRole.Output)).ToList();
        return (translation.Source!, new ProblemInfo($"problems/{name}.py", name, new string('0', 64), tensors, outputs, [1001], 0, []));
    }

    private static TensorSpec Spec(JsonNode node, TensorRole role)
    {
        Assert.True(DataTypes.TryParse(node["dtype"]!.GetValue<string>(), out var type));
        return new TensorSpec(node["name"]!.GetValue<string>(), [.. node["shape"]!.AsArray().Select(extent => extent!.GetValue<long>())], type, role);
    }

    [Theory]
    [InlineData("relu", LibraryPolicy.AllowLibraries)]
    [InlineData("relu", LibraryPolicy.PureCuda)]
    [InlineData("linear_relu", LibraryPolicy.PureCuda)]
    [InlineData("linear_relu", LibraryPolicy.AllowLibraries)]
    [InlineData("layer_norm", LibraryPolicy.PureCuda)]
    [InlineData("max_reduction", LibraryPolicy.AllowLibraries)]
    public void Export_TranslatedKernel_PassesStaticChecksAsTorchExtension(string graph, LibraryPolicy policy)
    {
        var (source, problem) = Translated(graph, policy);

        var export = TorchExtensionExporter.Export(source, AbiHeader, problem);

        Assert.True(export.Succeeded, export.Error);
        var check = StaticChecker.Check(export.Source!, CandidateFormat.TorchExtension, policy);
        Assert.False(check.Rejected, check.DescribeRejections());
        // Under allow-libraries the translator's GEMMs call cuBLAS; everything else is its own code.
        Assert.Equal(policy == LibraryPolicy.AllowLibraries && graph == "linear_relu" ? ["cuBLAS"] : [], check.LibrariesUsed);
    }

    [Fact]
    public void Export_TranslatedCublasKernel_PassesTorchsHandleBoundToTheCurrentStream()
    {
        var (source, problem) = Translated("linear_relu");

        var text = TorchExtensionExporter.Export(source, AbiHeader, problem).Source!;

        Assert.Contains("context.base.cublas = at::cuda::getCurrentCUDABlasHandle();", text, StringComparison.Ordinal);
        Assert.Contains("at::cuda::getCurrentCUDAStream(), &context.base);", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_Relu_ForwardChecksAllocatesAndCallsTheEntryOnTheTorchStream()
    {
        var (source, problem) = Translated("relu");

        var text = TorchExtensionExporter.Export(source, AbiHeader, problem).Source!;

        Assert.Contains("torch::Tensor forward(const torch::Tensor& x) {", text, StringComparison.Ordinal);
        Assert.Contains("kf_export_check(x, \"x\", torch::kFloat32, {4096, 16384}, device);", text, StringComparison.Ordinal);
        Assert.Contains("auto out0 = torch::empty({4096, 16384}, options.dtype(torch::kFloat32));", text, StringComparison.Ordinal);
        Assert.Contains("inputs[0] = kf_export_describe(x, KF_FLOAT32);", text, StringComparison.Ordinal);
        Assert.Contains("kforge_entry(inputs, 1, outputs, 1, at::cuda::getCurrentCUDAStream(), &context.base)", text, StringComparison.Ordinal);
        Assert.Contains("TORCH_CHECK(code == 0,", text, StringComparison.Ordinal);
        Assert.Contains("m.def(\"forward\", &forward,", text, StringComparison.Ordinal);
        Assert.Contains("return out0;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_ScalarInputs_ForwardTakesThemAtTheirPositionsAndRefusesOtherValues()
    {
        // get_inputs() returned [2.5, x, 3]: the kernel baked both numbers in; forward keeps the problem's signature.
        var (source, problem) = Translated("relu");
        problem = problem with { ScalarInputs = [new ScalarInput(0, "2.5"), new ScalarInput(2, "3")] };

        var text = TorchExtensionExporter.Export(source, AbiHeader, problem).Source!;

        Assert.Contains("torch::Tensor forward(double scalar0, const torch::Tensor& x, int64_t scalar2) {", text, StringComparison.Ordinal);
        Assert.Contains("TORCH_CHECK(scalar0 == 2.5,", text, StringComparison.Ordinal);
        Assert.Contains("TORCH_CHECK(scalar2 == 3,", text, StringComparison.Ordinal);
        Assert.Contains("kforge_entry(inputs, 1, outputs, 1,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_Relu_InlinesTheHeaderAndTheKernelWithoutTheInclude()
    {
        var (source, problem) = Translated("relu");

        var text = TorchExtensionExporter.Export(source, AbiHeader, problem).Source!;

        Assert.Contains("#define KFORGE_ABI_H", text, StringComparison.Ordinal);
        Assert.DoesNotContain("#include \"kforge_abi.h\"", text, StringComparison.Ordinal);
        Assert.Contains(source.Split('\n').First(line => line.Contains("__global__", StringComparison.Ordinal)), text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("#define KFORGE_ABI_H", StringComparison.Ordinal) < text.LastIndexOf("KFORGE_ENTRY(", StringComparison.Ordinal));
    }

    [Fact]
    public void Export_LinearRelu_TakesInputsThenParametersInOrder()
    {
        var (source, problem) = Translated("linear_relu");

        var text = TorchExtensionExporter.Export(source, AbiHeader, problem).Source!;

        Assert.Contains("forward(const torch::Tensor& x, const torch::Tensor& p_fc_weight, const torch::Tensor& p_fc_bias)", text, StringComparison.Ordinal);
        Assert.Contains("kforge_entry(inputs, 3, outputs, 1,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_TwoOutputs_ReturnsBoth()
    {
        var (source, problem) = Translated("relu");
        var twoOutputs = problem with { Outputs = [problem.Outputs[0], problem.Outputs[0] with { Name = "second", DataType = DataType.Int64, Shape = [4096] }] };

        var text = TorchExtensionExporter.Export(source, AbiHeader, twoOutputs).Source!;

        Assert.Contains("std::vector<torch::Tensor> forward(", text, StringComparison.Ordinal);
        Assert.Contains("auto out1 = torch::empty({4096}, options.dtype(torch::kInt64));", text, StringComparison.Ordinal);
        Assert.Contains("outputs[1] = kf_export_describe(out1, KF_INT64);", text, StringComparison.Ordinal);
        Assert.Contains("return {out0, out1};", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_ProblemWithBuffers_ForwardTakesThemLast()
    {
        var (source, problem) = Translated("relu");
        var withBuffer = problem with { Tensors = [.. problem.Tensors, new TensorSpec("running_mean", [16384], DataType.Float32, TensorRole.Buffer)] };

        var export = TorchExtensionExporter.Export(source, AbiHeader, withBuffer);

        Assert.True(export.Succeeded, export.Error);
        Assert.Contains("(buffer running_mean)", export.Source, StringComparison.Ordinal);
        Assert.Matches(@"forward\(const torch::Tensor& \w+, const torch::Tensor& \w+\)", export.Source!);
    }

    [Fact]
    public void Export_KernelUsingCtxCublas_PassesTorchsHandleAndIsRecorded()
    {
        var (_, problem) = Translated("relu");
        const string Kernel = "#include \"kforge_abi.h\"\nKFORGE_ENTRY(const kf_tensor* in, int n, kf_tensor* out, int m, cudaStream_t stream, kf_context* ctx) {\n    return ctx->cublas == nullptr ? 1 : 0;\n}\n";

        var text = TorchExtensionExporter.Export(Kernel, AbiHeader, problem).Source!;

        Assert.Contains("context.base.cublas = at::cuda::getCurrentCUDABlasHandle();", text, StringComparison.Ordinal);
        Assert.Contains("cuBLAS", StaticChecker.Check(text, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries).LibrariesUsed);
    }

    [Fact]
    public void Export_KernelUsingCtxCudnn_KeepsTheFieldAndHandsItTorchsCudnnHandle()
    {
        var (_, problem) = Translated("relu");
        const string Kernel = "#include \"kforge_abi.h\"\nKFORGE_ENTRY(const kf_tensor* in, int n, kf_tensor* out, int m, cudaStream_t stream, kf_context* ctx) {\n    return ctx->cudnn == nullptr ? 1 : 0;\n}\n";

        var text = TorchExtensionExporter.Export(Kernel, AbiHeader, problem).Source!;

        Assert.Contains("    void* cudnn;\n", text, StringComparison.Ordinal);
        Assert.Contains("context.base.cudnn = at::native::getCudnnHandle != nullptr ? at::native::getCudnnHandle() : nullptr;", text, StringComparison.Ordinal);
        Assert.Contains("namespace at { namespace native { __attribute__((weak)) void* getCudnnHandle(); } }", text, StringComparison.Ordinal);
        // The kernel touches no cuBLAS, so that field is renamed and nothing of cuBLAS is recorded.
        Assert.DoesNotContain("void* cublas;", text, StringComparison.Ordinal);
        Assert.Equal(["cuDNN"], StaticChecker.Check(text, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries).LibrariesUsed);
    }

    [Fact]
    public void Export_KernelNotUsingCtxCudnn_RenamesTheFieldInItsPlace()
    {
        var (source, problem) = Translated("relu");

        var text = TorchExtensionExporter.Export(source, AbiHeader, problem).Source!;

        Assert.DoesNotContain("void* cudnn;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("context.base.cudnn", text, StringComparison.Ordinal);
        // Same place in kf_context: after harness, the last field.
        Assert.Matches(@"void\* harness;[^\n]*\n(\s*//[^\n]*\n)*\s*void\* unused_library_handle_2;[^\n]*\n};", text);
    }

    [Fact]
    public void Export_SourceWithoutEntry_Fails()
    {
        var (_, problem) = Translated("relu");

        var export = TorchExtensionExporter.Export("__global__ void k() {}\n", AbiHeader, problem);

        Assert.False(export.Succeeded);
        Assert.Contains("KFORGE_ENTRY", export.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_SameInputs_SameBytes()
    {
        var (source, problem) = Translated("linear_relu");

        Assert.Equal(TorchExtensionExporter.Export(source, AbiHeader, problem).Source, TorchExtensionExporter.Export(source, AbiHeader, problem).Source);
    }

    [Theory]
    [InlineData("fc1.weight", "fc1_weight")]
    [InlineData("0.weight", "arg0_0_weight")]
    [InlineData("float", "arg0_float")]
    [InlineData("out", "arg0_out")]
    [InlineData("device", "device_0")]
    public void ArgumentNames_TorchNames_BecomeDistinctCppIdentifiers(string name, string expected)
    {
        var names = TorchExtensionExporter.ArgumentNames([new TensorSpec(name, [1], DataType.Float32, TensorRole.Input)]);

        Assert.Equal(expected, names[0]);
    }

    [Fact]
    public void ArgumentNames_Collisions_MadeUnique()
    {
        var names = TorchExtensionExporter.ArgumentNames([
            new TensorSpec("a.b", [1], DataType.Float32, TensorRole.Input),
            new TensorSpec("a_b", [1], DataType.Float32, TensorRole.Parameter)]);

        Assert.Equal(["a_b", "a_b_1"], names);
    }
}
