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
    public void Render_CheckedOnly_SaysCorrectAndNotTimed()
    {
        var console = new TestConsole().Width(200);

        VerifyReportRenderer.Render(console, SampleResults.CheckedOnly());

        var output = console.Output;
        Assert.Contains("CORRECT", output, StringComparison.Ordinal);
        Assert.Contains("not timed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ACCEPTED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("REJECTED", output, StringComparison.Ordinal);
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

    [Fact]
    public void RenderExplanation_Records_ShowsEachCheckInOrderWithFailure()
    {
        var console = new TestConsole().Width(200);
        var result = SampleResults.RejectedUnwritten() with
        {
            Explanation =
            [
                new("static_checks", true, "0 findings (0 rejecting) under AllowLibraries"),
                new("run", true, "input set 0 (seed 1001): canaries intact; inputs unchanged"),
                new("tolerance", false, "input set 0, output 0: 67108864 poisoned"),
            ],
        };

        VerifyReportRenderer.RenderExplanation(console, result);

        var output = console.Output;
        Assert.True(output.IndexOf("static_checks", StringComparison.Ordinal) < output.IndexOf("tolerance", StringComparison.Ordinal));
        Assert.Contains("canaries intact", output, StringComparison.Ordinal);
        Assert.Contains("failed", output, StringComparison.Ordinal);
    }
}
