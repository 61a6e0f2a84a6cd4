using KernelForge.Cli.Rendering;
using Spectre.Console.Testing;

namespace KernelForge.Cli.Tests.Rendering;

public sealed class VerifyReportRendererTests
{
    [Fact]
    public void Render_Accepted_ShowsVerdictTimingsSpeedupsFloorAndEnvironment()
    {
        var console = new TestConsole().Width(200);

        VerifyReportRenderer.Render(console, SampleResults.Accepted());

        var output = console.Output;
        Assert.Contains("ACCEPTED", output, StringComparison.Ordinal);
        Assert.Contains("182.0 µs", output, StringComparison.Ordinal);
        Assert.Contains("torch.compile", output, StringComparison.Ordinal);
        Assert.Contains("1.01×", output, StringComparison.Ordinal);
        Assert.Contains("memory-bandwidth floor", output, StringComparison.Ordinal);
        Assert.Contains("NVIDIA H100 80GB HBM3", output, StringComparison.Ordinal);
        Assert.Contains("relu_kernel", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Rejected_ShowsReasonAndNoTimingTable()
    {
        var console = new TestConsole().Width(200);

        VerifyReportRenderer.Render(console, SampleResults.RejectedUnwritten());

        var output = console.Output;
        Assert.Contains("REJECTED", output, StringComparison.Ordinal);
        Assert.Contains("unwritten_output", output, StringComparison.Ordinal);
        Assert.Contains("never written", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Timing", output, StringComparison.Ordinal);
    }
}
