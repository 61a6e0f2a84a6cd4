using System.Text.Json.Nodes;
using KernelForge.Core;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Runner;

public sealed class RequestFieldsTests
{
    [Fact]
    public void Timing_AllFields_ReadsSnakeCase()
    {
        var node = JsonNode.Parse("""{"warmup_calls":3,"min_samples":7,"max_samples":70,"target_relative_error":0.02,"max_wall_ms":1500,"flush_l2":false,"l2_flush_factor":1.5}""");

        var options = RequestFields.Timing(node);

        Assert.Equal(new TimingOptions(3, 7, 70, 0.02, 1500, false, 1.5), options);
    }

    [Fact]
    public void Timing_MissingFields_TakeDefaults()
    {
        Assert.Equal(TimingOptions.Default, RequestFields.Timing(JsonNode.Parse("{}")));
    }

    [Fact]
    public void Timing_MaxBelowMin_IsBadRequest()
    {
        var error = Assert.Throws<RunnerRequestException>(() => RequestFields.Timing(JsonNode.Parse("""{"min_samples":10,"max_samples":5}""")));

        Assert.Equal("bad_request", error.Kind);
    }

    [Fact]
    public void TensorSpec_ProtocolObject_Parses()
    {
        var spec = RequestFields.TensorSpec(JsonNode.Parse("""{"name":"weight","shape":[4,8],"dtype":"float16","role":"parameter"}"""), "tensors[1]");

        Assert.Equal("weight", spec.Name);
        Assert.Equal([4L, 8L], spec.Shape);
        Assert.Equal(DataType.Float16, spec.DataType);
        Assert.Equal(TensorRole.Parameter, spec.Role);
    }

    [Fact]
    public void TensorSpec_UnknownDtype_IsBadRequestNamingIt()
    {
        var error = Assert.Throws<RunnerRequestException>(() =>
            RequestFields.TensorSpec(JsonNode.Parse("""{"name":"x","shape":[1],"dtype":"complex64"}"""), "tensors[0]"));

        Assert.Equal("bad_request", error.Kind);
        Assert.Contains("complex64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredInt32_Fraction_IsBadRequest()
    {
        var request = (JsonObject)JsonNode.Parse("""{"input_set":1.5}""")!;

        Assert.Throws<RunnerRequestException>(() => RequestFields.RequiredInt32(request, "input_set"));
    }
}
