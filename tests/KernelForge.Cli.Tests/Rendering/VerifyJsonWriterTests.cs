using System.Globalization;
using System.Text.Json.Nodes;
using KernelForge.Cli.Rendering;

namespace KernelForge.Cli.Tests.Rendering;

public sealed class VerifyJsonWriterTests
{
    [Fact]
    public void Write_Accepted_HasVerdictSpeedupsAndUnitNamedTimings()
    {
        var json = JsonNode.Parse(VerifyJsonWriter.Write(SampleResults.Accepted()))!;

        Assert.Equal("accepted", json["verdict"]!.GetValue<string>());
        Assert.Equal(182.0, json["timing"]!["candidate"]!["median_us"]!.GetValue<double>());
        Assert.Equal(183.5 / 182.0, json["timing"]!["speedup_over_eager"]!.GetValue<double>(), 9);
        Assert.Equal(4, json["timing"]!["candidate"]!["samples_us"]!.AsArray().Count);
        Assert.Equal(3, json["checks"]!.AsArray().Count);
        Assert.Equal("NVIDIA H100 80GB HBM3", json["environment"]!["gpu_name"]!.GetValue<string>());
        var floor = 536_870_912 / 2.99e12 * 1e6;
        Assert.Equal(floor / 182.0, json["timing"]!["fraction_of_floor"]!.GetValue<double>(), 9);
    }

    [Fact]
    public void Write_Rejected_HasFailureKindAndNoCandidateTiming()
    {
        var json = JsonNode.Parse(VerifyJsonWriter.Write(SampleResults.RejectedUnwritten()))!;

        Assert.Equal("rejected", json["verdict"]!.GetValue<string>());
        Assert.Equal("unwritten_output", json["failure_kind"]!.GetValue<string>());
        Assert.Null(json["timing"]!["candidate"]);
        Assert.Equal(67_108_864, json["checks"]![0]!["outputs"]![0]!["poisoned_elements"]!.GetValue<long>());
    }

    [Fact]
    public void Write_CheckedOnly_VerdictIsCorrectWithoutTimings()
    {
        var json = JsonNode.Parse(VerifyJsonWriter.Write(SampleResults.CheckedOnly()))!;

        Assert.Equal("correct", json["verdict"]!.GetValue<string>());
        Assert.Null(json["failure_kind"]);
        Assert.Null(json["timing"]!["candidate"]);
        Assert.Null(json["timing"]!["speedup_over_eager"]);
        Assert.Equal(3, json["checks"]!.AsArray().Count);
    }

    [Fact]
    public void Write_GermanCulture_NumbersStayInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var text = VerifyJsonWriter.Write(SampleResults.Accepted());

            Assert.Contains("\"speedup_over_eager\": 1.008", text, StringComparison.Ordinal);
            Assert.DoesNotContain("1,008", text, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Write_WithExplanation_CarriesEveryRecord()
    {
        var result = SampleResults.Accepted() with { Explanation = [new("compile", true, "nvcc built 1 kernels in 1.23 s"), new("memory_floor", true, "95.5 % of the floor")] };

        var json = JsonNode.Parse(VerifyJsonWriter.Write(result))!;

        var explanation = json["explanation"]!.AsArray();
        Assert.Equal(2, explanation.Count);
        Assert.Equal("memory_floor", explanation[1]!["check"]!.GetValue<string>());
        Assert.True(explanation[0]!["passed"]!.GetValue<bool>());
    }
}
