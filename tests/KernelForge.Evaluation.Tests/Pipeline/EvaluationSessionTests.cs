using KernelForge.Core;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests.Pipeline;

public sealed class EvaluationSessionTests
{
    private const string Entry = "#include \"kforge_abi.h\"\nKFORGE_ENTRY(const kf_tensor* in, int n, kf_tensor* out, int m, cudaStream_t stream, kf_context* ctx) {\n    return ";

    [Theory]
    [InlineData("ctx->cudnn == nullptr ? 1 : 0;\n}\n", false, true)]
    [InlineData("ctx->cublas == nullptr ? 1 : 0;\n}\n", true, false)]
    [InlineData("ctx->cublas == ctx->cudnn ? 1 : 0;\n}\n", true, true)]
    [InlineData("0;\n}\n", false, false)]
    public void LibraryHandlesFor_AllowLibraries_AHandleForEachLibraryTheSourceCalls(string body, bool cublas, bool cudnn)
    {
        var used = StaticChecker.Check(Entry + body, CandidateFormat.Abi, LibraryPolicy.AllowLibraries).LibrariesUsed;

        Assert.Equal((cublas, cudnn), EvaluationSession.LibraryHandlesFor(LibraryPolicy.AllowLibraries, used));
    }

    [Fact]
    public void LibraryHandlesFor_PureCuda_NoHandles()
    {
        Assert.Equal((false, false), EvaluationSession.LibraryHandlesFor(LibraryPolicy.PureCuda, ["cuBLAS", "cuDNN"]));
    }
}
