using KernelForge.Core;
using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

public sealed class PtxasReportTests
{
    [Fact]
    public void Parse_SingleKernel_ReadsEveryNumber()
    {
        const string log = """
            ptxas info    : 0 bytes gmem
            ptxas info    : Compiling entry function '_Z1kPfi' for 'sm_90'
            ptxas info    : Function properties for _Z1kPfi
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 8 registers, 380 bytes cmem[0]
            """;

        var kernel = Assert.Single(PtxasReport.Parse(log));

        Assert.Equal(new KernelResourceUsage("_Z1kPfi", 8, 0, 0, 0, 0, 380), kernel);
    }

    [Fact]
    public void Parse_SharedMemory_ReadsSmem()
    {
        const string log = """
            ptxas info    : Compiling entry function '_Z4tilePKfPfi' for 'sm_80'
            ptxas info    : Function properties for _Z4tilePKfPfi
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 32 registers, 4096 bytes smem, 384 bytes cmem[0]
            """;

        var kernel = Assert.Single(PtxasReport.Parse(log));

        Assert.Equal(32, kernel.Registers);
        Assert.Equal(4096, kernel.SharedMemoryBytes);
        Assert.Equal(384, kernel.ConstantMemoryBytes);
    }

    [Fact]
    public void Parse_Nvcc118WithSpillsDeviceFunctionAndTwoTargets_ReportsEachEntryPerTarget()
    {
        // Real nvcc 11.8 output for two kernels, a __noinline__ helper and __constant__ data, built for sm_80 and sm_75.
        const string log = """
            ptxas info    : 0 bytes gmem, 256 bytes cmem[3]
            ptxas info    : Compiling entry function '_Z3dynPf' for 'sm_80'
            ptxas info    : Function properties for _Z3dynPf
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 10 registers, 360 bytes cmem[0]
            ptxas info    : Compiling entry function '_Z5heavyPfi' for 'sm_80'
            ptxas info    : Function properties for _Z5heavyPfi
                8256 bytes stack frame, 14888 bytes spill stores, 19352 bytes spill loads
            ptxas info    : Used 32 registers, 364 bytes cmem[0]
            ptxas info    : Function properties for _Z6helperPfi
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas warning : Value of threads per SM for entry _Z5heavyPfi is out of range. .minnctapersm will be ignored
            ptxas info    : 0 bytes gmem, 256 bytes cmem[3]
            ptxas info    : Compiling entry function '_Z3dynPf' for 'sm_75'
            ptxas info    : Function properties for _Z3dynPf
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 10 registers, 360 bytes cmem[0]
            ptxas info    : Compiling entry function '_Z5heavyPfi' for 'sm_75'
            ptxas info    : Function properties for _Z5heavyPfi
                5792 bytes stack frame, 9108 bytes spill stores, 10136 bytes spill loads
            ptxas info    : Used 64 registers, 364 bytes cmem[0]
            ptxas info    : Function properties for _Z6helperPfi
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            """;

        var kernels = PtxasReport.Parse(log);

        Assert.Equal(
            [
                new KernelResourceUsage("_Z3dynPf", 10, 0, 0, 0, 0, 360),
                new KernelResourceUsage("_Z5heavyPfi", 32, 0, 8256, 14888, 19352, 364),
                new KernelResourceUsage("_Z3dynPf", 10, 0, 0, 0, 0, 360),
                new KernelResourceUsage("_Z5heavyPfi", 64, 0, 5792, 9108, 10136, 364),
            ],
            kernels);
    }

    [Fact]
    public void Parse_NewerFormatWithBarriersAndSeveralConstantBanks_SumsBanksAndIgnoresBarriers()
    {
        const string log = """
            ptxas info    : 11 bytes gmem
            ptxas info    : Compiling entry function '_Z4gemmPK6__halfS1_PS_iii' for 'sm_90a'
            ptxas info    : Function properties for _Z4gemmPK6__halfS1_PS_iii
                16 bytes stack frame, 4 bytes spill stores, 8 bytes spill loads
            ptxas info    : Used 168 registers, used 1 barriers, 49152 bytes smem, 400 bytes cmem[0], 8 bytes cmem[2]
            ptxas info    : Compile time = 12.345 ms
            ptxas info    : Compiling entry function '_Z1kPfi' for 'sm_90a'
            ptxas info    : Function properties for _Z1kPfi
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 8 registers, used 0 barriers, 380 bytes cmem[0]
            """;

        var kernels = PtxasReport.Parse(log);

        Assert.Equal(
            [
                new KernelResourceUsage("_Z4gemmPK6__halfS1_PS_iii", 168, 49152, 16, 4, 8, 408),
                new KernelResourceUsage("_Z1kPfi", 8, 0, 0, 0, 0, 380),
            ],
            kernels);
    }

    [Fact]
    public void Parse_PropertiesBeforeEntryLineAndCrLf_StillAttributed()
    {
        const string log =
            "ptxas info    : Function properties for _Z1kPfi\r\n"
            + "    24 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\r\n"
            + "ptxas info    : Compiling entry function '_Z1kPfi' for 'sm_80'\r\n"
            + "ptxas info    : Used 12 registers, 360 bytes cmem[0]\r\n";

        var kernel = Assert.Single(PtxasReport.Parse(log));

        Assert.Equal(new KernelResourceUsage("_Z1kPfi", 12, 0, 24, 0, 0, 360), kernel);
    }

    [Fact]
    public void Parse_UsedLineAfterKernelConsumed_DoesNotOverwriteKernel()
    {
        // Under -rdc ptxas may report a non-entry function's registers after the kernel's.
        const string log = """
            ptxas info    : Compiling entry function '_Z1kPfi' for 'sm_80'
            ptxas info    : Used 12 registers, 360 bytes cmem[0]
            ptxas info    : Function properties for _Z6helperv
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 40 registers
            """;

        var kernel = Assert.Single(PtxasReport.Parse(log));

        Assert.Equal(12, kernel.Registers);
    }

    [Fact]
    public void Parse_ErrorLogWithoutReport_ReturnsEmpty()
    {
        const string log = """
            kernel.cu(3): error: identifier "x" is undefined
            1 error detected in the compilation of "kernel.cu".
            """;

        Assert.Empty(PtxasReport.Parse(log));
        Assert.Empty(PtxasReport.Parse(""));
    }
}
