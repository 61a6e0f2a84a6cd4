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

    [Fact]
    public void For_MatmulAllowingLibraries_CublasIsTheDefaultAndEveryOwnKernelRemains()
    {
        var space = ScheduleSpace.For(KernelKind.Matmul, allowLibraries: true);
        var schedules = space.Enumerate().ToList();

        Assert.Equal(ScheduleSpace.Matmul.Default with { Lowering = Lowering.Library }, space.Default);
        Assert.Equal(space.Default, schedules[0]);
        Assert.Equal(ScheduleSpace.Matmul.Enumerate(), schedules.Skip(1));
        Assert.True(space.Contains(ScheduleSpace.Matmul.Default));
        Assert.True(space.Contains(new Schedule(64, 1, 8) { Lowering = Lowering.Library }));
    }

    [Fact]
    public void For_PureCudaOrAKindWithoutALibrary_OwnKernelsOnly()
    {
        foreach (var kind in Enum.GetValues<KernelKind>())
        {
            var pure = ScheduleSpace.For(kind, allowLibraries: false);

            Assert.Same(ScheduleSpace.For(kind), pure);
            Assert.Equal([Lowering.OwnKernel], pure.Lowerings.AsEnumerable());
            Assert.False(pure.Contains(pure.Default with { Lowering = Lowering.Library }));
            Assert.All(pure.Enumerate(), schedule => Assert.Equal(Lowering.OwnKernel, schedule.Lowering));
            if (kind is not (KernelKind.Matmul or KernelKind.Convolution))
            {
                Assert.Same(pure, ScheduleSpace.For(kind, allowLibraries: true));
                Assert.Null(ScheduleSpace.LibraryOf(kind));
            }
        }
    }

    [Fact]
    public void ToString_LibrarySchedule_SaysSoAndKeepsTheFallbackKnobs()
    {
        Assert.Equal("block 256, vector 1, items 4", new Schedule(256, 1, 4).ToString());
        Assert.Equal("library call (own-kernel fallback: block 256, vector 1, items 4)", (new Schedule(256, 1, 4) with { Lowering = Lowering.Library }).ToString());
    }
}
