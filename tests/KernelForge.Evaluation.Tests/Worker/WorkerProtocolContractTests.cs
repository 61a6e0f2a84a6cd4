using System.Text.Json.Nodes;
using KernelForge.Core;
using KernelForge.Evaluation.Protocol;

namespace KernelForge.Evaluation.Tests.Worker;

/// <summary>
/// The C# side of the worker protocol, checked against the same golden lines the Python tests read
/// (<c>worker/protocol-examples/*.jsonl</c>): what the client sends has the golden request's fields, and the
/// golden response parses into the expected values.
/// </summary>
public sealed class WorkerProtocolContractTests
{
    [Fact]
    public async Task HelloAsync_GoldenResponse_ParsesEnvironment()
    {
        await using var worker = GoldenWorker.Start("hello");
        var golden = JsonNode.Parse(File.ReadAllLines(worker.GoldenPath)[1])!;

        var hello = await worker.Client.HelloAsync();

        Assert.Equal(golden["worker_version"]!.GetValue<string>(), hello.WorkerVersion);
        Assert.Equal(golden["environment"]!["gpu_name"]!.GetValue<string>(), hello.GpuName);
        Assert.Equal(golden["environment"]!["torch_version"]!.GetValue<string>(), hello.TorchVersion);
        AssertSameFields(GoldenWorker.GoldenRequest("hello"), worker.Requests()[0]);
    }

    [Fact]
    public async Task LoadProblemAsync_GoldenResponse_ParsesTensorsAndInputFiles()
    {
        await using var worker = GoldenWorker.Start("load_problem");
        var golden = JsonNode.Parse(File.ReadAllLines(worker.GoldenPath)[1])!;

        var loaded = await worker.Client.LoadProblemAsync("problems/level1/relu.py", [1, 2, 3], "/dev/shm/x");

        Assert.Equal(golden["problem_hash"]!.GetValue<string>(), loaded.Info.Hash);
        Assert.Equal(golden["bytes_moved"]!.GetValue<long>(), loaded.Info.BytesMoved);
        Assert.Equal(golden["flops"]!.GetValue<long>(), loaded.Info.Flops);
        Assert.Equal(golden["tensors"]!.AsArray().Count, loaded.Info.Tensors.Count);
        Assert.Equal(golden["outputs"]!.AsArray().Count, loaded.Info.Outputs.Count);
        Assert.All(loaded.Info.Outputs, output => Assert.Equal(TensorRole.Output, output.Role));
        Assert.Equal(golden["input_files"]!.AsArray().Count, loaded.InputFiles.Count);
        Assert.Equal(loaded.Info.Tensors.Count, loaded.InputFiles[0].Count);
        AssertSameFields(GoldenWorker.GoldenRequest("load_problem"), worker.Requests()[0]);
    }

    [Fact]
    public async Task LoadProblemAsync_ScalarInputs_KeepPositionAndPythonType()
    {
        await using var worker = GoldenWorker.Start("load_problem", response => response.Replace(
            "\"scalar_inputs\":[]", "\"scalar_inputs\":[{\"position\":1,\"value\":3.14},{\"position\":2,\"value\":true}]", StringComparison.Ordinal));

        var loaded = await worker.Client.LoadProblemAsync("problems/level1/relu.py", [1, 2, 3], "/dev/shm/x");

        Assert.Equal([new ScalarInput(1, "3.14"), new ScalarInput(2, "true")], loaded.Info.ScalarInputs);
    }

    [Fact]
    public async Task CheckAsync_GoldenResponse_ParsesPassAndFailure()
    {
        await using var worker = GoldenWorker.Start("check");

        var checks = await worker.Client.CheckAsync([["a.npy"], ["b.npy"], ["c.npy"]], [11, 22, 33], PrecisionPolicy.Strict);

        Assert.Equal(3, checks.Count);
        Assert.True(checks[0].Passed);
        Assert.Equal(22, checks[1].Seed);
        var failed = Assert.Single(checks[2].Outputs);
        Assert.False(failed.Passed);
        Assert.Equal(FailureKind.WrongResult, failed.Failure);
        Assert.True(failed.MaxAbsError > failed.AllowedMaxAbsError);
        AssertSameFields(GoldenWorker.GoldenRequest("check"), worker.Requests()[0]);
    }

    [Fact]
    public async Task TimeReferenceAsync_GoldenResponse_ReturnsRawSamples()
    {
        await using var worker = GoldenWorker.Start("time_reference");
        var golden = JsonNode.Parse(File.ReadAllLines(worker.GoldenPath)[1])!;

        var timing = await worker.Client.TimeReferenceAsync("eager", TimingOptions.Default);

        Assert.Equal(golden["samples_us"]!.AsArray().Count, timing.SamplesMicroseconds.Count);
        Assert.All(timing.SamplesMicroseconds, sample => Assert.True(sample > 0));
        var sent = worker.Requests()[0];
        AssertSameFields(GoldenWorker.GoldenRequest("time_reference"), sent);
        AssertSameFields(GoldenWorker.GoldenRequest("time_reference")["timing"]!.AsObject(), sent["timing"]!.AsObject());
    }

    [Fact]
    public async Task LintAsync_GoldenResponse_ParsesFindingsAndChecked()
    {
        await using var worker = GoldenWorker.Start("lint_problem");
        var golden = JsonNode.Parse(File.ReadAllLines(worker.GoldenPath)[1])!;

        var lint = await worker.Client.LintAsync();

        Assert.Equal(golden["findings"]!.AsArray().Count, lint.Findings.Count);
        Assert.Equal(golden["checked"]!.AsArray().Count, lint.Checked.Count);
        Assert.All(lint.Findings, finding => Assert.False(string.IsNullOrEmpty(finding.Message)));
        AssertSameFields(GoldenWorker.GoldenRequest("lint_problem"), worker.Requests()[0]);
    }

    [Fact]
    public async Task ExportGraphAsync_GoldenResponse_ReturnsGraphJson()
    {
        await using var worker = GoldenWorker.Start("export_graph");

        var graph = JsonNode.Parse(await worker.Client.ExportGraphAsync())!;

        Assert.Equal(1, graph["schema_version"]!.GetValue<int>());
        Assert.NotEmpty(graph["nodes"]!.AsArray());
    }

    [Fact]
    public async Task ExportGraphAsync_OfAProblemPath_SendsPathSeedAndDeviceAsTheGolden()
    {
        await using var worker = GoldenWorker.Start("export_problem");

        var graph = JsonNode.Parse(await worker.Client.ExportGraphAsync("/p/relu.py", 1001))!;

        Assert.NotEmpty(graph["nodes"]!.AsArray());
        AssertSameFields(GoldenWorker.GoldenRequest("export_problem"), worker.Requests()[0]);
        Assert.Equal("/p/relu.py", worker.Requests()[0]["problem_path"]!.GetValue<string>());
        Assert.Equal(1001, worker.Requests()[0]["seed"]!.GetValue<long>());
    }

    [Fact]
    public async Task FunctionalizeAsync_GoldenResponse_ParsesEverySeed()
    {
        await using var worker = GoldenWorker.Start("functionalize");
        var golden = JsonNode.Parse(File.ReadAllLines(worker.GoldenPath)[1])!;

        var form = await worker.Client.FunctionalizeAsync("/p/layer_norm.py", "/p/layer_norm_functional.py", [1001, 2002, 3003]);

        Assert.Equal(golden["matches"]!.GetValue<bool>(), form.Matches);
        Assert.Equal(golden["capture"]!.GetValue<string>(), form.Capture);
        Assert.Equal(golden["nodes"]!.GetValue<int>(), form.Nodes);
        Assert.Equal([1001L, 2002L, 3003L], form.Sets.Select(set => set.Seed));
        Assert.All(form.Sets, set => Assert.True(set.MaxAbsError <= set.AllowedMaxAbsError));
        AssertSameFields(GoldenWorker.GoldenRequest("functionalize"), worker.Requests()[0]);
    }

    [Fact]
    public async Task AnyRequest_GoldenErrorResponse_ThrowsWithKindFileAndLine()
    {
        await using var worker = GoldenWorker.Start("error");
        var golden = JsonNode.Parse(File.ReadAllLines(worker.GoldenPath)[1])!["error"]!;

        var error = await Assert.ThrowsAsync<ProtocolErrorException>(() => worker.Client.LoadProblemAsync("bad.py", [1, 2, 3], "/dev/shm/x"));

        Assert.Equal(golden["kind"]!.GetValue<string>(), error.Kind);
        Assert.Equal(golden["message"]!.GetValue<string>(), error.Message);
        Assert.Equal(golden["line"]?.GetValue<int>(), error.Line);
        Assert.Equal("reference worker", error.Process);
    }

    private static void AssertSameFields(JsonObject golden, JsonObject sent)
    {
        var expected = golden.Select(pair => pair.Key).Where(key => key != "id").Order(StringComparer.Ordinal);
        var actual = sent.Select(pair => pair.Key).Where(key => key != "id").Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }
}
