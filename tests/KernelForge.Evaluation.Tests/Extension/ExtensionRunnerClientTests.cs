using System.Diagnostics;
using KernelForge.Core;
using KernelForge.Evaluation.Extension;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Extension;

// The client against a fake runner written in sh: it answers by op; by candidate path it fails to build or load, and
// by input_set it crashes, hangs, or reports a lost CUDA context, and otherwise answers by count_launches (counted
// launches when true, only a call time when false). Enough to test restarts, the fresh process per candidate, the
// translation of errors, crashes and hangs into failure values, and which calls are profiled.
public sealed class ExtensionRunnerClientTests
{
    private const string FakeRunner = """
        while IFS= read -r line; do
          id=$(printf '%s' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
          op=$(printf '%s' "$line" | sed -n 's/.*"op":"\([a-z_]*\)".*/\1/p')
          set=$(printf '%s' "$line" | sed -n 's/.*"input_set":\([0-9]*\).*/\1/p')
          case "$op" in
            hello) printf '{"v":1,"id":%s,"ok":true,"worker_version":"0.1.0","protocol_version":1,"environment":{"gpu_name":"Fake GPU","torch_version":"2.11.0","torch_cuda_version":null}}\n' "$id" ;;
            load)
              case "$line" in
                *broken.cu*) printf '{"v":1,"id":%s,"ok":false,"error":{"kind":"compile_error","message":"broken.cu:3: the extension did not build","file":"broken.cu","line":3}}\n' "$id" ;;
                *raises.py*) printf '{"v":1,"id":%s,"ok":false,"error":{"kind":"load_error","message":"raises.py:9: ModelNew(*get_init_inputs()) raised ValueError: no"}}\n' "$id" ;;
                *noproblem.py*) printf '{"v":1,"id":%s,"ok":false,"error":{"kind":"problem_not_found","message":"p.py: problem file does not exist"}}\n' "$id" ;;
                *crash.py*) echo "Segmentation fault in the module body" >&2; exit 139 ;;
                *hang.py*) sleep 30 ;;
                *) printf '{"v":1,"id":%s,"ok":true,"build_seconds":12.5,"warnings":["w"]}\n' "$id" ;;
              esac ;;
            run)
              case "$set" in
                1) echo "segfault in candidate" >&2; exit 139 ;;
                2) printf '{"v":1,"id":%s,"ok":true,"failure":"runtime_error","message":"illegal address","runner_exiting":true}\n' "$id"; exit 0 ;;
                3) sleep 30 ;;
                4) printf '{"v":1,"id":%s,"ok":true,"failure":"wrong_result","message":"output0 is float32[4] but the reference is float32[8].","runner_exiting":false}\n' "$id" ;;
                5) printf '{"v":1,"id":%s,"ok":true,"failure":null,"message":null,"runner_exiting":false,"call_us":null,"launches":null,"launched_kernels":null,"launches_not_counted":"launches are counted on CUDA only; the candidate runs on cpu."}\n' "$id" ;;
                *)
                  case "$line" in
                    *'"count_launches":true'*) printf '{"v":1,"id":%s,"ok":true,"failure":null,"message":null,"runner_exiting":false,"call_us":58.5,"launches":3,"launched_kernels":{"relu_kernel(float const*, float*, long)":2,"void at::native::vectorized_elementwise_kernel<4>(int)":1},"launches_not_counted":null}\n' "$id" ;;
                    *'"count_launches":false'*) printf '{"v":1,"id":%s,"ok":true,"failure":null,"message":null,"runner_exiting":false,"call_us":31.25,"launches":null,"launched_kernels":null,"launches_not_counted":null}\n' "$id" ;;
                    *) printf '{"v":1,"id":%s,"ok":true,"failure":null,"message":null,"runner_exiting":false}\n' "$id" ;;
                  esac ;;
              esac ;;
            time) printf '{"v":1,"id":%s,"ok":true,"samples_us":[20.5,21.0,20.75],"l2_flushed":true,"failure":null,"message":null,"runner_exiting":false}\n' "$id" ;;
            shutdown) printf '{"v":1,"id":%s,"ok":true}\n' "$id"; exit 0 ;;
          esac
        done
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly IReadOnlyList<TensorSpec> Tensors = [new TensorSpec("input0", [4], DataType.Float32, TensorRole.Input)];

    private static readonly IReadOnlyList<TensorSpec> Outputs = [new TensorSpec("output0", [4], DataType.Float32, TensorRole.Output)];

    [Fact]
    public async Task HelloAsync_ReadsTorchAndGpu()
    {
        await using var client = NewClient();

        var hello = await client.HelloAsync(Deadline);

        Assert.Equal("0.1.0", hello.RunnerVersion);
        Assert.Equal("Fake GPU", hello.GpuName);
        Assert.Equal("2.11.0", hello.TorchVersion);
        Assert.Null(hello.TorchCudaVersion);
        Assert.Equal(1, client.StartCount);
    }

    [Fact]
    public async Task LoadAsync_Built_ReturnsBuildSecondsAndWarnings()
    {
        await using var client = NewClient();

        var result = await LoadAsync(client, "/tmp/good.py");

        Assert.True(result.Succeeded);
        Assert.Equal(12.5, result.BuildSeconds);
        Assert.Equal(["w"], result.Warnings);
        Assert.Equal("/tmp/good.py", client.LoadedCandidatePath);
    }

    [Fact]
    public async Task LoadAsync_CompileError_IsACompileErrorValue()
    {
        await using var client = NewClient();

        var result = await LoadAsync(client, "/tmp/broken.cu", ExtensionFormat.Pybind);

        Assert.Equal(FailureKind.CompileError, result.Failure);
        Assert.StartsWith("broken.cu:3:", result.Message, StringComparison.Ordinal);
        Assert.Null(result.BuildSeconds);
        Assert.Null(client.LoadedCandidatePath);
    }

    [Fact]
    public async Task LoadAsync_CandidateCodeRaises_IsALoadErrorValue()
    {
        await using var client = NewClient();

        var result = await LoadAsync(client, "/tmp/raises.py");

        Assert.Equal(FailureKind.LoadError, result.Failure);
        Assert.Contains("ValueError", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ProblemError_IsAnException()
    {
        await using var client = NewClient();

        var error = await Assert.ThrowsAsync<Protocol.ProtocolErrorException>(() => LoadAsync(client, "/tmp/noproblem.py"));

        Assert.Equal("problem_not_found", error.Kind);
        Assert.Equal("extension runner", error.Process);  // kforge names the failing child, not always the worker
    }

    [Fact]
    public async Task LoadAsync_RunnerCrashes_IsRunnerCrashedWithStderr()
    {
        await using var client = NewClient();

        var result = await LoadAsync(client, "/tmp/crash.py");

        Assert.Equal(FailureKind.RunnerCrashed, result.Failure);
        Assert.Contains("Segmentation fault", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_BuildHangs_IsTimeoutAndSaysWhatToDo()
    {
        await using var client = NewClient();

        var result = await client.LoadAsync("/tmp/hang.py", ExtensionFormat.ModelNew, "p.py", 1001, Tensors, Outputs, [["/tmp/x0.npy"]], "/tmp/build", 0, TimeSpan.FromMilliseconds(500));

        Assert.Equal(FailureKind.Timeout, result.Failure);
        Assert.Contains("load deadline", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SecondCandidate_GetsAFreshProcess()
    {
        await using var client = NewClient();
        await client.HelloAsync(Deadline);

        await LoadAsync(client, "/tmp/first.py");
        Assert.Equal(1, client.StartCount);
        await LoadAsync(client, "/tmp/second.py");

        Assert.Equal(2, client.StartCount);
        Assert.Equal("/tmp/second.py", client.LoadedCandidatePath);
    }

    [Fact]
    public async Task RunAsync_Success_HasNoFailure()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.py");

        var result = await client.RunAsync(0, ["/tmp/out0.npy"], Deadline);

        Assert.True(result.Succeeded);
        Assert.Null(result.ReturnCode);
    }

    [Fact]
    public async Task RunAsync_OrdinarySet_CountsLaunchesAndReadsThem()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.py");

        var result = await client.RunAsync(0, ["/tmp/out0.npy"], Deadline);

        Assert.True(result.Succeeded);
        Assert.Equal(58.5, result.CallMicroseconds);
        Assert.Equal(3, result.Launches);
        Assert.Equal(
            new Dictionary<string, int> { ["relu_kernel(float const*, float*, long)"] = 2, ["void at::native::vectorized_elementwise_kernel<4>(int)"] = 1 },
            result.LaunchedKernels);
        Assert.Null(result.LaunchesNotCounted);
    }

    [Fact]
    public async Task RunAsync_FreshSet_IsTimedButNotProfiled()
    {
        await using var client = NewClient();
        IReadOnlyList<IReadOnlyList<string>> sets = [.. Enumerable.Range(0, 6).Select(set => (IReadOnlyList<string>)[$"/tmp/set{set}.npy"])];
        await client.LoadAsync("/tmp/good.py", ExtensionFormat.ModelNew, "p.py", 1001, Tensors, Outputs, sets, "/tmp/build", 0, Deadline, freshInputFiles: ["/tmp/fresh.npy"]);

        var fresh = await client.RunAsync(sets.Count, ["/tmp/fresh_out0.npy"], Deadline);
        var ordinary = await client.RunAsync(0, ["/tmp/out0.npy"], Deadline);

        Assert.Equal(31.25, fresh.CallMicroseconds);
        Assert.Null(fresh.Launches);
        Assert.Null(fresh.LaunchedKernels);
        Assert.Null(fresh.LaunchesNotCounted);
        Assert.Equal(3, ordinary.Launches);
    }

    [Fact]
    public async Task RunAsync_LaunchesNotCounted_ReadsWhy()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.py");

        var result = await client.RunAsync(5, ["/tmp/out0.npy"], Deadline);

        Assert.True(result.Succeeded);
        Assert.Null(result.Launches);
        Assert.Null(result.LaunchedKernels);
        Assert.Null(result.CallMicroseconds);
        Assert.Equal("launches are counted on CUDA only; the candidate runs on cpu.", result.LaunchesNotCounted);
    }

    [Fact]
    public async Task RunAsync_WrongResult_IsReportedAndTheCandidateStaysLoaded()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.py");

        var result = await client.RunAsync(4, ["/tmp/out0.npy"], Deadline);

        Assert.Equal(FailureKind.WrongResult, result.Failure);
        Assert.Equal("/tmp/good.py", client.LoadedCandidatePath);
    }

    [Fact]
    public async Task RunAsync_RunnerCrashes_IsRunnerCrashedAndTheNextCallStartsAFreshRunner()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.py");

        var result = await client.RunAsync(1, ["/tmp/out0.npy"], Deadline);

        Assert.Equal(FailureKind.RunnerCrashed, result.Failure);
        Assert.Contains("segfault in candidate", result.Message, StringComparison.Ordinal);
        Assert.Null(client.LoadedCandidatePath);
        await client.HelloAsync(Deadline);
        Assert.Equal(2, client.StartCount);
    }

    [Fact]
    public async Task RunAsync_LostCudaContext_ReportsItAndReplacesTheRunner()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.py");

        var result = await client.RunAsync(2, ["/tmp/out0.npy"], Deadline);

        Assert.Equal(FailureKind.RuntimeError, result.Failure);
        Assert.Null(client.LoadedCandidatePath);
        await client.HelloAsync(Deadline);
        Assert.Equal(2, client.StartCount);
    }

    [Fact]
    public async Task RunAsync_RunnerHangs_IsTimeoutAndTheRunnerIsReplaced()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.py");

        var result = await client.RunAsync(3, ["/tmp/out0.npy"], TimeSpan.FromMilliseconds(500));

        Assert.Equal(FailureKind.Timeout, result.Failure);
        await client.HelloAsync(Deadline);
        Assert.Equal(2, client.StartCount);
    }

    [Fact]
    public async Task RunAsync_NothingLoaded_Throws()
    {
        await using var client = NewClient();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.RunAsync(0, ["/tmp/out0.npy"], Deadline));
    }

    [Fact]
    public async Task RunAsync_AfterFailedLoad_Throws()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/broken.cu", ExtensionFormat.Pybind);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.TimeAsync(TimingOptions.Default, Deadline));
    }

    [Fact]
    public async Task TimeAsync_ReturnsRawSamples()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.py");

        RunnerTimeResult result = await client.TimeAsync(TimingOptions.Default, Deadline);

        Assert.True(result.Succeeded);
        Assert.Equal([20.5, 21.0, 20.75], result.SamplesMicroseconds);
        Assert.True(result.L2Flushed);
    }

    [Fact]
    public void StartInfo_RunsTheExtensionModuleWithTheWorkerSourceOnPythonPath()
    {
        var startInfo = ExtensionRunnerClient.StartInfo("/usr/bin/python3", "/repo/worker/src");

        Assert.Equal("/usr/bin/python3", startInfo.FileName);
        Assert.Equal(["-m", "kforge_worker.extension"], startInfo.ArgumentList);
        Assert.Equal("/repo/worker/src", startInfo.Environment["PYTHONPATH"]);
    }

    private static ExtensionRunnerClient NewClient() => new(() => new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", FakeRunner } });

    private static Task<ExtensionLoadResult> LoadAsync(ExtensionRunnerClient client, string candidatePath, ExtensionFormat format = ExtensionFormat.ModelNew) =>
        client.LoadAsync(candidatePath, format, "problems/level1/relu.py", 1001, Tensors, Outputs, [["/tmp/x0.npy"]], "/tmp/build", 0, Deadline);
}
