using System.Text.Json.Nodes;
using KernelForge.Core;
using KernelForge.Evaluation.Extension;

namespace KernelForge.Evaluation.Tests.Extension;

/// <summary>
/// The C# side of the extension-runner protocol, checked against the golden lines the Python tests read
/// (<c>worker/protocol-examples/extension_*.jsonl</c>): what the client sends has the golden request's fields, and
/// the golden responses parse into the expected values.
/// </summary>
public sealed class ExtensionRunnerProtocolContractTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HelloAsync_GoldenResponse_ParsesTorchAndGpu()
    {
        await using var runner = GoldenExtensionRunner.Start("extension_hello");
        var golden = GoldenExtensionRunner.GoldenResponse("extension_hello");

        var hello = await runner.Client.HelloAsync(Deadline);

        Assert.Equal(golden["worker_version"]!.GetValue<string>(), hello.RunnerVersion);
        Assert.Equal(golden["environment"]!["gpu_name"]!.GetValue<string>(), hello.GpuName);
        Assert.Equal(golden["environment"]!["torch_version"]!.GetValue<string>(), hello.TorchVersion);
        AssertSameFields(GoldenExtensionRunner.GoldenRequest("extension_hello"), runner.Requests()[0]);
    }

    [Fact]
    public async Task LoadAsync_GoldenResponse_ReturnsBuildSecondsAndWarnings()
    {
        await using var runner = GoldenExtensionRunner.Start("extension_load");
        var golden = GoldenExtensionRunner.GoldenResponse("extension_load");

        var result = await LoadGoldenAsync(runner.Client, "extension_load");

        Assert.True(result.Succeeded);
        Assert.Equal(golden["build_seconds"]!.GetValue<double>(), result.BuildSeconds);
        Assert.Equal(golden["warnings"]!.AsArray().Select(node => node!.GetValue<string>()), result.Warnings);
        Assert.NotNull(runner.Client.LoadedCandidatePath);
        var sent = runner.Requests()[0];
        var expected = GoldenExtensionRunner.GoldenRequest("extension_load");
        AssertSameFields(expected, sent);
        // Not only the same fields: the typed API round-trips the golden request's values.
        sent["id"] = expected["id"]!.DeepClone();
        Assert.True(JsonNode.DeepEquals(expected, sent), $"sent {sent.ToJsonString()}\nexpected {expected.ToJsonString()}");
    }

    [Fact]
    public async Task LoadAsync_GoldenCompileError_IsACompileErrorValueWithTheLog()
    {
        await using var runner = GoldenExtensionRunner.Start("extension_compile_error");
        var golden = GoldenExtensionRunner.GoldenResponse("extension_compile_error")["error"]!;

        var result = await LoadGoldenAsync(runner.Client, "extension_compile_error");

        Assert.Equal(FailureKind.CompileError, result.Failure);
        Assert.Equal(golden["message"]!.GetValue<string>(), result.Message);
        Assert.Contains("error: identifier", result.Message, StringComparison.Ordinal);
        Assert.Null(runner.Client.LoadedCandidatePath);
        AssertSameFields(GoldenExtensionRunner.GoldenRequest("extension_compile_error"), runner.Requests()[0]);
    }

    [Fact]
    public async Task RunAsync_GoldenResponse_Succeeds()
    {
        await using var runner = GoldenExtensionRunner.Start("extension_load", "extension_run");
        await LoadGoldenAsync(runner.Client, "extension_load");

        var golden = GoldenExtensionRunner.GoldenResponse("extension_run");

        var result = await runner.Client.RunAsync(0, ["/dev/shm/x/set0_out0.npy"], Deadline);

        Assert.True(result.Succeeded);
        Assert.Null(result.ReturnCode);
        Assert.Equal(golden["call_us"]!.GetValue<double>(), result.CallMicroseconds);
        Assert.Equal(golden["launches"]!.GetValue<int>(), result.Launches);
        Assert.Equal(golden["launched_kernels"]!.AsObject().Select(pair => KeyValuePair.Create(pair.Key, pair.Value!.GetValue<int>())), result.LaunchedKernels!);
        Assert.Null(result.LaunchesNotCounted);
        var sent = runner.Requests()[1];
        AssertSameFields(GoldenExtensionRunner.GoldenRequest("extension_run"), sent);
        Assert.True(sent["count_launches"]!.GetValue<bool>());
    }

    [Fact]
    public async Task LoadAsync_ScalarInputs_SentWithTheirPositionsAndPythonTypes()
    {
        await using var runner = GoldenExtensionRunner.Start("extension_load");

        await LoadGoldenAsync(runner.Client, "extension_load", scalarInputs: [new ScalarInput(1, "3.14"), new ScalarInput(2, "7")]);

        var sent = runner.Requests()[0]["scalar_inputs"]!.ToJsonString();
        Assert.Equal("""[{"position":1,"value":3.14},{"position":2,"value":7}]""", sent);
    }

    [Fact]
    public async Task RunAsync_GoldenFreshRun_IsOneMoreSetTimedWithoutProfiling()
    {
        await using var runner = GoldenExtensionRunner.Start("extension_load", "extension_run_fresh");
        var load = GoldenExtensionRunner.GoldenRequest("extension_load");
        var freshSet = GoldenExtensionRunner.GoldenRequest("extension_run_fresh")["input_set"]!.GetValue<int>();
        await LoadGoldenAsync(runner.Client, "extension_load", freshInputFiles: ["/dev/shm/x/fresh/input0.npy", "/dev/shm/x/p1.npy", "/dev/shm/x/p2.npy"]);

        var result = await runner.Client.RunAsync(freshSet, ["/dev/shm/x/fresh_out0.npy"], Deadline);

        Assert.True(result.Succeeded);
        Assert.Equal(GoldenExtensionRunner.GoldenResponse("extension_run_fresh")["call_us"]!.GetValue<double>(), result.CallMicroseconds);
        Assert.Null(result.Launches);
        var sentLoad = runner.Requests()[0];
        Assert.Equal(load["input_files"]!.AsArray().Count + 1, sentLoad["input_files"]!.AsArray().Count);
        Assert.Equal(freshSet, sentLoad["input_files"]!.AsArray().Count - 1);
        Assert.Equal("/dev/shm/x/fresh/input0.npy", sentLoad["input_files"]![freshSet]![0]!.GetValue<string>());
        var sent = runner.Requests()[1];
        AssertSameFields(GoldenExtensionRunner.GoldenRequest("extension_run_fresh"), sent);
        Assert.False(sent["count_launches"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RunAsync_GoldenInputModified_IsAFailureValue()
    {
        await using var runner = GoldenExtensionRunner.Start("extension_load", "extension_run_input_modified");
        await LoadGoldenAsync(runner.Client, "extension_load");

        var result = await runner.Client.RunAsync(1, ["/dev/shm/x/set1_out0.npy"], Deadline);

        Assert.Equal(FailureKind.InputModified, result.Failure);
        Assert.Equal(GoldenExtensionRunner.GoldenResponse("extension_run_input_modified")["message"]!.GetValue<string>(), result.Message);
        Assert.NotNull(runner.Client.LoadedCandidatePath);
    }

    [Fact]
    public async Task TimeAsync_GoldenResponse_ReturnsRawSamples()
    {
        await using var runner = GoldenExtensionRunner.Start("extension_load", "extension_time");
        await LoadGoldenAsync(runner.Client, "extension_load");
        var golden = GoldenExtensionRunner.GoldenResponse("extension_time");

        var result = await runner.Client.TimeAsync(TimingOptions.Default, Deadline);

        Assert.True(result.Succeeded);
        Assert.Equal(golden["samples_us"]!.AsArray().Select(node => node!.GetValue<double>()), result.SamplesMicroseconds);
        Assert.True(result.L2Flushed);
        Assert.Equal(0.512, result.WallMilliseconds);  // the loop's host wall time: kforge checks the events' sum against it
        var sent = runner.Requests()[1];
        AssertSameFields(GoldenExtensionRunner.GoldenRequest("extension_time"), sent);
        AssertSameFields(GoldenExtensionRunner.GoldenRequest("extension_time")["timing"]!.AsObject(), sent["timing"]!.AsObject());
    }

    /// <summary>Sends the golden load request's own values through the typed API.</summary>
    private static Task<ExtensionLoadResult> LoadGoldenAsync(
        ExtensionRunnerClient client, string name, IReadOnlyList<string>? freshInputFiles = null, IReadOnlyList<ScalarInput>? scalarInputs = null)
    {
        var request = GoldenExtensionRunner.GoldenRequest(name);
        return client.LoadAsync(
            request["candidate_path"]!.GetValue<string>(),
            request["format"]!.GetValue<string>() == "pybind" ? ExtensionFormat.Pybind : ExtensionFormat.ModelNew,
            request["problem_path"]!.GetValue<string>(),
            request["seed"]!.GetValue<long>(),
            [.. request["tensors"]!.AsArray().Select(node => Protocol.JsonFields.ToTensorSpec(node!))],
            [.. request["outputs"]!.AsArray().Select(node => Protocol.JsonFields.ToTensorSpec(node!))],
            [.. request["input_files"]!.AsArray().Select(set => (IReadOnlyList<string>)[.. set!.AsArray().Select(path => path!.GetValue<string>())])],
            request["build_dir"]!.GetValue<string>(),
            request["device"]!.GetValue<int>(),
            Deadline,
            freshInputFiles,
            scalarInputs);
    }

    private static void AssertSameFields(JsonObject golden, JsonObject sent)
    {
        var expected = golden.Select(pair => pair.Key).Where(key => key != "id").Order(StringComparer.Ordinal);
        var actual = sent.Select(pair => pair.Key).Where(key => key != "id").Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }
}
