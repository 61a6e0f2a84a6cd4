using System.Text.Json.Nodes;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Runner;

// These requests are answered before any CUDA call, so they run on machines without a GPU.
public sealed class AbiRunnerTests
{
    [Fact]
    public async Task ServeAsync_MalformedJson_AnswersBadRequestAndKeepsServing()
    {
        var (responses, exitCode) = await ServeAsync("{not json", """{"v":1,"id":2,"op":"shutdown"}""");

        Assert.Equal(0, exitCode);
        Assert.Equal(2, responses.Count);
        AssertError(responses[0], "bad_request");
        Assert.Null(responses[0]["id"]);
        Assert.True(responses[1]["ok"]!.GetValue<bool>());
        Assert.Equal(2, responses[1]["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task ServeAsync_UnknownOp_AnswersBadRequestNamingTheOps()
    {
        var (responses, _) = await ServeAsync("""{"v":1,"id":5,"op":"frobnicate"}""", """{"v":1,"id":6,"op":"shutdown"}""");

        AssertError(responses[0], "bad_request");
        Assert.Equal(5, responses[0]["id"]!.GetValue<int>());
        Assert.Equal(1, responses[0]["v"]!.GetValue<int>());
        Assert.Contains("frobnicate", Message(responses[0]), StringComparison.Ordinal);
        Assert.Contains("measure_bandwidth", Message(responses[0]), StringComparison.Ordinal);
        Assert.True(responses[1]["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ServeAsync_NotAnObjectOrNoOp_AnswersBadRequest()
    {
        var (responses, _) = await ServeAsync("[1,2]", """{"v":1,"id":3}""", """{"v":1,"id":4,"op":"shutdown"}""");

        AssertError(responses[0], "bad_request");
        AssertError(responses[1], "bad_request");
        Assert.Contains("'op'", Message(responses[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_OtherProtocolVersion_AnswersBadRequest()
    {
        var (responses, _) = await ServeAsync("""{"v":2,"id":1,"op":"shutdown"}""");

        AssertError(responses[0], "bad_request");
        Assert.Contains("version 2", Message(responses[0]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"v":1,"id":1,"op":"run","input_set":0,"output_paths":["/tmp/x.npy"]}""")]
    [InlineData("""{"v":1,"id":1,"op":"time","timing":{}}""")]
    public async Task ServeAsync_RunOrTimeBeforeLoad_AnswersBadRequest(string request)
    {
        var (responses, _) = await ServeAsync(request);

        AssertError(responses[0], "bad_request");
        Assert.Contains("load", Message(responses[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_LoadWithMissingFields_AnswersBadRequest()
    {
        var (responses, _) = await ServeAsync("""{"v":1,"id":1,"op":"load","library_path":"/tmp/a.so"}""");

        AssertError(responses[0], "bad_request");
        Assert.Contains("'tensors'", Message(responses[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_EndOfInput_ExitsWithZero()
    {
        var (responses, exitCode) = await ServeAsync("", "   ");

        Assert.Empty(responses);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task ServeAsync_Shutdown_StopsReadingFurtherRequests()
    {
        var (responses, exitCode) = await ServeAsync("""{"v":1,"id":1,"op":"shutdown"}""", """{"v":1,"id":2,"op":"frobnicate"}""");

        Assert.Single(responses);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task ServeAsync_HelloWithoutGpu_AnswersEnvironmentError()
    {
        if (CudaRuntime.IsAvailable(out _))
        {
            return; // On a GPU host hello succeeds; the GPU test suite covers it.
        }

        var (responses, exitCode) = await ServeAsync("""{"v":1,"id":1,"op":"hello"}""", """{"v":1,"id":2,"op":"shutdown"}""");

        AssertError(responses[0], "environment");
        Assert.StartsWith("no CUDA", Message(responses[0]), StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task ServeAsync_HelloForAnotherDevice_AnswersBadRequest()
    {
        var (responses, _) = await ServeAsync("""{"v":1,"id":1,"op":"hello","device":3}""");

        AssertError(responses[0], "bad_request");
    }

    private static async Task<(IReadOnlyList<JsonObject> Responses, int ExitCode)> ServeAsync(params string[] lines)
    {
        using var input = new StringReader(string.Join('\n', lines) + "\n");
        using var output = new StringWriter();
        using var runner = new AbiRunner(0);

        var exitCode = await runner.ServeAsync(input, output);

        var responses = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => (JsonObject)JsonNode.Parse(line)!).ToList();
        return (responses, exitCode);
    }

    private static void AssertError(JsonObject response, string kind)
    {
        Assert.False(response["ok"]!.GetValue<bool>());
        Assert.Equal(kind, response["error"]!["kind"]!.GetValue<string>());
    }

    private static string Message(JsonObject response) => response["error"]!["message"]!.GetValue<string>();
}
