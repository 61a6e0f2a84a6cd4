using KernelForge.Core;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests.Validation;

public sealed class StaticCheckerPythonTests
{
    // A KernelBench-style ModelNew: load_inline with the CUDA in a string, forward calls only the extension.
    private const string HonestModelNew = """
        import torch
        import torch.nn as nn
        from torch.utils.cpp_extension import load_inline

        cuda_source = r'''
        #include <torch/extension.h>
        #include <cuda_runtime.h>

        __global__ void relu_kernel(const float* x, float* y, int n) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = x[i] > 0.f ? x[i] : 0.f;
        }

        torch::Tensor relu_cuda(torch::Tensor x) {
            auto y = torch::empty_like(x);
            int n = x.numel();
            relu_kernel<<<(n + 255) / 256, 256>>>(x.data_ptr<float>(), y.data_ptr<float>(), n);
            return y;
        }
        '''

        cpp_source = "torch::Tensor relu_cuda(torch::Tensor x);"

        relu = load_inline(
            name="relu",
            cpp_sources=cpp_source,
            cuda_sources=cuda_source,
            functions=["relu_cuda"],
            extra_cuda_cflags=["-O3", "--use_fast_math"],
        )


        class ModelNew(nn.Module):
            '''Relu in a custom kernel; nothing here calls torch's own relu.'''

            def __init__(self):
                super().__init__()
                self.relu = relu
                self.weight = nn.Parameter(torch.randn(16))

            def forward(self, x):
                # torch.relu(x) would be the fallback; we call the extension instead.
                y = self.relu.relu_cuda(x.contiguous())
                return y.view(x.shape)


        def get_inputs():
            return [torch.randn(4096, 16384, device="cuda")]


        def get_init_inputs():
            return [torch.nn.functional.relu(torch.zeros(1))]
        """;

    [Theory]
    [InlineData(LibraryPolicy.AllowLibraries)]
    [InlineData(LibraryPolicy.PureCuda)]
    public void Check_HonestModelNew_NoFindings(LibraryPolicy policy)
    {
        var result = StaticChecker.Check(HonestModelNew, CandidateFormat.TorchExtension, policy);

        Assert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("py-process-control", "import subprocess")]
    [InlineData("py-process-control", "os.system('nvidia-smi')")]
    [InlineData("py-process-control", "from os import popen")]
    [InlineData("py-process-control", "os.execv('/bin/sh', ['sh'])")]
    [InlineData("py-os", "os.dup2(2, 1)")]
    [InlineData("py-file-or-socket", "data = open('expected.npy', 'rb').read()")]
    [InlineData("py-file-or-socket", "with io.open('x') as f: pass")]
    [InlineData("py-file-or-socket", "import socket")]
    [InlineData("py-file-or-socket", "cached = torch.load('out.pt')")]
    [InlineData("py-file-or-socket", "text = pathlib.Path('x').read_text()")]
    [InlineData("py-threads", "import threading")]
    [InlineData("py-threads", "from multiprocessing import Pool")]
    [InlineData("py-dynamic-loading", "import ctypes")]
    [InlineData("py-dynamic-loading", "torch.ops.load_library('libx.so')")]
    [InlineData("py-dynamic-code", "eval('1 + 1')")]
    [InlineData("py-dynamic-code", "getattr(os, 'sys' + 'tem')('ls')")]
    [InlineData("py-dynamic-code", "m = __import__('subprocess')")]
    [InlineData("py-dynamic-code", "g = self.forward.__globals__")]
    [InlineData("py-dynamic-code", "ｅｖａｌ('1')")]
    [InlineData("py-other-stream-or-event", "s = torch.cuda.Stream()")]
    [InlineData("py-other-stream-or-event", "tc = torch.cuda; s = tc.Stream()")]
    [InlineData("py-dynamic-code", "from torch.cuda import *")]
    [InlineData("py-dynamic-code", "torch._C._cuda_setStream(0)")]
    [InlineData("py-file-or-socket", "line = input()")]
    [InlineData("py-other-stream-or-event", "with torch.cuda.stream(side): pass")]
    [InlineData("py-other-stream-or-event", "from torch.cuda import Event")]
    [InlineData("py-cuda-graph", "g = torch.cuda.CUDAGraph()")]
    [InlineData("py-device-sync", "torch.cuda.synchronize()")]
    [InlineData("py-host-clock", "t0 = time.perf_counter()")]
    [InlineData("py-monkeypatch", "torch.cuda.Event = FakeEvent")]
    [InlineData("py-monkeypatch", "torch.cuda.synchronize = lambda: None")]
    [InlineData("py-monkeypatch", "time.perf_counter = lambda: 0.0")]
    [InlineData("py-monkeypatch", "torch.backends.cuda.matmul.allow_tf32 = True")]
    [InlineData("py-build-flags", "flags = ['-include', 'x.h']")]
    [InlineData("system-path", "p = '/dev/shm/kforge'")]
    [InlineData("system-path", "p = '/pr' + 'oc/self/mem'")]
    [InlineData("system-path", "p = '\\N{SOLIDUS}proc/self/maps'")]
    public void Check_RejectedPythonConstruct_RejectedWithRuleAndLine(string ruleId, string statement)
    {
        var source = "import os\nimport time\nimport torch\nimport torch.nn as nn\n\n" + statement + "\nclass ModelNew(torch.nn.Module):\n    pass\n";

        var result = StaticChecker.Check(source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);

        Assert.True(result.Rejected, StaticCheckerCudaTests.Describe(result));
        var finding = Assert.Single(result.Findings, finding => finding.RuleId == ruleId);
        Assert.Equal((StaticVerdict.Reject, 6), (finding.Verdict, finding.Line));
    }

    [Fact]
    public void Check_AliasedImport_ResolvedBeforeMatching()
    {
        const string Source = "import torch\nimport torch.cuda as tc\nfrom torch import cuda as c2\ns = tc.Stream()\ne = c2.Event()\nclass ModelNew(torch.nn.Module):\n    pass\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);

        Assert.Equal([4, 5], result.Findings.Where(finding => finding.RuleId == "py-other-stream-or-event").Select(finding => finding.Line));
        Assert.Equal(["torch.cuda.Stream", "torch.cuda.Event"], result.Findings.Select(finding => finding.Matched));
    }

    [Fact]
    public void Check_ModuleAliasThroughAttribute_Resolved()
    {
        const string Source = "import torch\nclass ModelNew(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = torch.cuda\n    def forward(self, x):\n        self.c.synchronize()\n        return x\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("py-device-sync", 7, "torch.cuda.synchronize"), (finding.RuleId, finding.Line, finding.Matched));
    }

    [Fact]
    public void Check_BannedPythonInCommentsAndStrings_NotRejected()
    {
        const string Source = "import torch\n# import subprocess; os.system('x'); open('x')\nnote = 'import threading; torch.cuda.Stream()'\nclass ModelNew(torch.nn.Module):\n    '''Does not call torch.cuda.synchronize or eval.'''\n    pass\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.PureCuda);

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Check_FStringReplacementField_ScannedAsCode()
    {
        const string Source = "import torch\nname = f\"{open('/tmp/x').read()}\"\nclass ModelNew(torch.nn.Module):\n    pass\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);

        Assert.Equal(2, Assert.Single(result.Findings, finding => finding.RuleId == "py-file-or-socket").Line);
    }

    [Theory]
    [InlineData("        return torch.matmul(a, b)", "torch.matmul")]
    [InlineData("        return F.relu(self.ext.f(a))", "torch.nn.functional.relu")]
    [InlineData("        return torch.nn.functional.gelu(a)", "torch.nn.functional.gelu")]
    [InlineData("        return a @ b", "@ (matmul)")]
    [InlineData("        return torch.bmm(a, b)", "torch.bmm")]
    [InlineData("        return self.linear(a)", "self.linear (torch.nn.Linear)")]
    [InlineData("        return a.matmul(b)", "a.matmul")]
    public void Check_TorchComputeInForward_FlaggedAndRejectedUnderPureCuda(string line, string matched)
    {
        var source = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass ModelNew(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.linear = nn.Linear(4, 4)\n        self.w = torch.matmul(torch.ones(2, 2), torch.ones(2, 2))\n    def forward(self, a, b):\n" + line + "\n";

        var allowed = StaticChecker.Check(source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);
        var pure = StaticChecker.Check(source, CandidateFormat.TorchExtension, LibraryPolicy.PureCuda);

        Assert.False(allowed.Rejected, StaticCheckerCudaTests.Describe(allowed));
        var finding = Assert.Single(allowed.Findings);
        Assert.Equal(("py-torch-fallback", StaticVerdict.Flag, 10, matched), (finding.RuleId, finding.Verdict, finding.Line, finding.Matched));
        Assert.Contains("falls back to torch", finding.Message, StringComparison.Ordinal);
        Assert.True(pure.Rejected);
    }

    [Fact]
    public void Check_ExtensionFunctionNamedLikeTorchOp_NotFlagged()
    {
        const string Source = "import torch\nfrom torch.utils.cpp_extension import load_inline\nops = load_inline(name='m', cpp_sources='', cuda_sources='', functions=['matmul'])\nclass ModelNew(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.ops = ops\n    def forward(self, a, b):\n        return self.ops.matmul(a, b) if a.is_cuda else ops.matmul(a, b)\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.PureCuda);

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Check_EmbeddedCudaWithBannedCall_RejectedAtPythonLine()
    {
        const string Source = "import torch\nsrc = '''\n#include <torch/extension.h>\ntorch::Tensor f(torch::Tensor x) {\n    cudaDeviceSynchronize();\n    return x;\n}\n'''\nclass ModelNew(torch.nn.Module):\n    pass\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("device-sync-or-alloc", 5, "cudaDeviceSynchronize();"), (finding.RuleId, finding.Line, finding.Excerpt));
    }

    [Fact]
    public void Check_EmbeddedCudaSplitAcrossConcatenatedLiterals_Rejected()
    {
        const string Source = "import torch\nsrc = ('#include <torch/extension.h>\\n'\n       'void f() { cudaDevice' + 'Synchronize(); }')\nclass ModelNew(torch.nn.Module):\n    pass\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);

        Assert.True(result.Rejected, StaticCheckerCudaTests.Describe(result));
        Assert.Equal(3, Assert.Single(result.Findings).Line);
    }

    [Fact]
    public void Check_CublasLinkFlag_RecordedAndRejectedUnderPureCuda()
    {
        const string Source = "import torch\nfrom torch.utils.cpp_extension import load_inline\nm = load_inline(name='g', cpp_sources='', cuda_sources='', extra_ldflags=['-lcublas'])\nclass ModelNew(torch.nn.Module):\n    pass\n";

        var allowed = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);
        var pure = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.PureCuda);

        Assert.False(allowed.Rejected);
        Assert.Equal(["cuBLAS"], allowed.LibrariesUsed);
        Assert.True(pure.Rejected);
    }

    [Fact]
    public void Check_TorchComputeInSetupFunctions_NotFlagged()
    {
        const string Source = "import torch\nimport torch.nn as nn\nclass ModelNew(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.scale = torch.softmax(torch.ones(3), dim=0)\ndef get_inputs():\n    return [torch.matmul(torch.ones(2, 2), torch.ones(2, 2))]\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.PureCuda);

        Assert.Empty(result.Findings);
    }
}
