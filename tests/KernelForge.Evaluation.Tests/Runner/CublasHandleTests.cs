using System.Runtime.InteropServices;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Tests.Compilation;

namespace KernelForge.Evaluation.Tests.Runner;

public sealed class CublasHandleTests
{
    [UnixFact]
    public void Create_LibraryLinkingNoCublas_LoadErrorSayingToLinkIt()
    {
        // libc stands in for a candidate built without -lcublas: no cublasCreate_v2 is reachable through it.
        var library = NativeLibrary.Load("libc.so.6");
        try
        {
            var ex = Assert.Throws<RunnerRequestException>(() => CublasHandle.Create(library, "kernel.so", 0));

            Assert.Equal(RunnerRequestException.LoadError, ex.Kind);
            Assert.Contains("link it with -lcublas", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }
}
