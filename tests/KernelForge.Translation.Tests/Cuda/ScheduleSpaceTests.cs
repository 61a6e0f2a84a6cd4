using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests.Cuda;

public sealed class ScheduleSpaceTests
{
    [Fact]
    public void All_EveryKindHasOneSpaceContainingItsDefault()
    {
        Assert.Equal(Enum.GetValues<KernelKind>(), ScheduleSpace.All.Select(s => s.Kind));
        Assert.All(ScheduleSpace.All, space => Assert.True(space.Contains(space.Default)));
    }

    [Fact]
    public void Enumerate_Pointwise_EveryCombinationOnce()
    {
        var schedules = ScheduleSpace.Pointwise.Enumerate().ToList();

        Assert.Equal(4 * 2 * 4, schedules.Count);
        Assert.Equal(schedules.Count, schedules.Distinct().Count());
    }

    [Fact]
    public void Defaults_FollowTheHandWrittenKernels()
    {
        Assert.Equal(new Schedule(256, 4, 4), ScheduleSpace.Pointwise.Default);
        Assert.Equal(new Schedule(512, 4, 8), ScheduleSpace.RowNormalization.Default);
    }
}
