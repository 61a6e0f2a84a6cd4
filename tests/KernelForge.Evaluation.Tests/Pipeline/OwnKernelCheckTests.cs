using KernelForge.Evaluation.Pipeline;

namespace KernelForge.Evaluation.Tests.Pipeline;

public sealed class OwnKernelCheckTests
{
    [Fact]
    public void Check_NoKernelNoLibrary_RejectedSayingWhatToDo()
    {
        var message = OwnKernelCheck.Check(0, []);

        Assert.NotNull(message);
        Assert.Contains("__global__", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(0, true)]
    public void Check_OwnKernelOrLibrary_Passes(int kernels, bool usesLibrary) =>
        Assert.Null(OwnKernelCheck.Check(kernels, usesLibrary ? ["cuBLAS"] : []));
}
