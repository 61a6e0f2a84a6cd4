using KernelForge.Core;
using KernelForge.Evaluation.Extension;
using KernelForge.Evaluation.Tests.Compilation;

namespace KernelForge.Evaluation.Tests.Extension;

public sealed class CandidateFormatsTests
{
    private const string PybindForward = """
        #include <torch/extension.h>
        torch::Tensor forward(torch::Tensor x) { return x.clone(); }
        PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) { m.def("forward", &forward, "forward"); }
        """;

    private const string ModelNewSource = """
        import torch.nn as nn


        class ModelNew(nn.Module):
            def forward(self, x):
                return x
        """;

    [Theory]
    [InlineData("k.cu", PybindForward, ExtensionFormat.Pybind)]
    [InlineData("k.cu", PybindForward + "\n// kforge_entry is mentioned too", ExtensionFormat.Pybind)]
    [InlineData("m.py", ModelNewSource, ExtensionFormat.ModelNew)]
    [InlineData("M.PY", ModelNewSource, ExtensionFormat.ModelNew)]
    public void Detect_TorchExtension_ReturnsItsForm(string path, string source, ExtensionFormat expected)
    {
        var detected = CandidateFormats.Detect(path, source);

        Assert.True(detected.Succeeded);
        Assert.Equal(CandidateFormat.TorchExtension, detected.Format);
        Assert.Equal(expected, detected.Extension);
        Assert.Null(detected.Error);
    }

    [Theory]
    [InlineData("#include \"kforge_abi.h\"\nKFORGE_ENTRY(const kf_tensor* in) { return 0; }")]
    [InlineData("extern \"C\" int kforge_entry(void) { return 0; }")]
    public void Detect_AbiSource_IsAbi(string source)
    {
        var detected = CandidateFormats.Detect("kernel.cu", source);

        Assert.Equal(CandidateFormat.Abi, detected.Format);
        Assert.Null(detected.Extension);
    }

    [Theory]
    [InlineData("k.cu", "__global__ void k() {}")]
    [InlineData("m.py", "class Model(nn.Module): pass")]
    [InlineData("m.py", "x = 'class ModelNew'")]
    [InlineData("k.cpp", PybindForward)]
    [InlineData("notes.txt", ModelNewSource)]
    public void Detect_UnknownFile_FailsWithWhatToWrite(string path, string source)
    {
        var detected = CandidateFormats.Detect(path, source);

        Assert.False(detected.Succeeded);
        Assert.Null(detected.Format);
        Assert.StartsWith(path + ":", detected.Error, StringComparison.Ordinal);
        Assert.Contains("kforge_entry", detected.Error, StringComparison.Ordinal);
        Assert.Contains("PYBIND11_MODULE", detected.Error, StringComparison.Ordinal);
        Assert.Contains("class ModelNew(nn.Module)", detected.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("torch_ext/relu_model_new.py", CandidateFormat.TorchExtension, ExtensionFormat.ModelNew)]
    [InlineData("torch_ext/softmax_pybind.cu", CandidateFormat.TorchExtension, ExtensionFormat.Pybind)]
    [InlineData("adversarial/torch_empty_model_new.py", CandidateFormat.TorchExtension, ExtensionFormat.ModelNew)]
    [InlineData("relu_abi.cu", CandidateFormat.Abi, null)]
    public void Detect_RepositoryExamples_AreRecognised(string relativePath, CandidateFormat format, ExtensionFormat? extension)
    {
        var path = Path.Combine(Path.GetDirectoryName(TestPaths.AbiDirectory)!, "examples", relativePath);

        var detected = CandidateFormats.Detect(path, File.ReadAllText(path));

        Assert.Equal(format, detected.Format);
        Assert.Equal(extension, detected.Extension);
    }

    [Theory]
    [InlineData(ExtensionFormat.ModelNew, "model_new")]
    [InlineData(ExtensionFormat.Pybind, "pybind")]
    public void ToProtocolName_IsTheRunnersName(ExtensionFormat format, string expected) =>
        Assert.Equal(expected, format.ToProtocolName());
}
