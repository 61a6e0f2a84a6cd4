using System.Runtime.InteropServices;
using KernelForge.Core;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Tests.Pipeline;

public sealed class RepeatabilityCheckTests
{
    [Fact]
    public void Compare_IdenticalRuns_Null()
    {
        Assert.Null(RepeatabilityCheck.Compare(Floats(1, -2, 3.5f), Floats(1, -2, 3.5f)));
    }

    [Fact]
    public void Compare_AtomicOrderRounding_Null()
    {
        // A sum reduced with atomics in another order differs in the last bits, far under 1e-5 of the magnitude.
        Assert.Null(RepeatabilityCheck.Compare(Floats(1000f, 2f), Floats(1000.0001f, 2f)));
    }

    [Fact]
    public void Compare_RaceSizedChange_SaysHowManyAndWhere()
    {
        var message = RepeatabilityCheck.Compare(Floats(1, 2, 3, 4), Floats(1, 2, 3.5f, 4));

        Assert.NotNull(message);
        Assert.Contains("1 of 4 elements", message, StringComparison.Ordinal);
        Assert.Contains("flat index 2", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_NaNInOneRunOnly_Flagged()
    {
        Assert.NotNull(RepeatabilityCheck.Compare(Floats(1, float.NaN), Floats(1, 2)));
        Assert.Null(RepeatabilityCheck.Compare(Floats(1, float.NaN), Floats(1, float.NaN)));
    }

    [Fact]
    public void Compare_IntegersDifferByOne_Flagged()
    {
        var first = new HostTensor([2], DataType.Int32, MemoryMarshal.AsBytes<int>([5, 6]).ToArray());
        var second = new HostTensor([2], DataType.Int32, MemoryMarshal.AsBytes<int>([5, 7]).ToArray());

        Assert.NotNull(RepeatabilityCheck.Compare(first, second));
    }

    [Fact]
    public void Compare_DifferentShapes_Flagged()
    {
        Assert.NotNull(RepeatabilityCheck.Compare(Floats(1, 2), Floats(1, 2, 3)));
    }

    private static HostTensor Floats(params float[] values) =>
        new([values.Length], DataType.Float32, MemoryMarshal.AsBytes<float>(values).ToArray());
}
