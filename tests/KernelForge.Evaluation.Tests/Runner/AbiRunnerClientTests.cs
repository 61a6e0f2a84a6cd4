using System.Diagnostics;
using KernelForge.Core;
using KernelForge.Evaluation.Runner;

namespace KernelForge.Evaluation.Tests.Runner;

// The client against a fake runner written in sh: it answers by op, and by input_set it crashes, hangs, or reports a
// sticky error. That is enough to test restarts and the translation of crashes and hangs into failure values.
public sealed class AbiRunnerClientTests
{
    private const string FakeRunner = """
        while IFS= read -r line; do
          id=$(printf '%s' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
          op=$(printf '%s' "$line" | sed -n 's/.*"op":"\([a-z_]*\)".*/\1/p')
          set=$(printf '%s' "$line" | sed -n 's/.*"input_set":\([0-9]*\).*/\1/p')
          case "$op" in
            hello) printf '{"v":1,"id":%s,"ok":true,"environment":{"gpu_name":"Fake GPU","compute_capability":"9.0","l2_cache_bytes":52428800,"multiprocessor_count":132,"sm_clock_mhz":null}}\n' "$id" ;;
            measure_bandwidth) printf '{"v":1,"id":%s,"ok":true,"bytes_per_second":3.0e12}\n' "$id" ;;
            load)
              case "$line" in
                *bad.so*) printf '{"v":1,"id":%s,"ok":false,"error":{"kind":"load_error","message":"bad.so exports no kforge_entry"}}\n' "$id" ;;
                *'"cublas":true'*) printf '{"v":1,"id":%s,"ok":false,"error":{"kind":"load_error","message":"asked for a cuBLAS handle"}}\n' "$id" ;;
                *'"cudnn":true'*) printf '{"v":1,"id":%s,"ok":false,"error":{"kind":"load_error","message":"asked for a cuDNN handle"}}\n' "$id" ;;
                *) printf '{"v":1,"id":%s,"ok":true}\n' "$id" ;;
              esac ;;
            run)
              case "$set" in
                1) echo "segfault in candidate" >&2; exit 139 ;;
                2) printf '{"v":1,"id":%s,"ok":true,"failure":"runtime_error","message":"illegal address","return_code":0,"runner_exiting":true}\n' "$id"; exit 3 ;;
                3) sleep 30 ;;
                4) printf '{"v":1,"id":%s,"ok":true,"failure":"out_of_bounds_write","message":"guard after output 0","return_code":0,"runner_exiting":false}\n' "$id" ;;
                *) printf '{"v":1,"id":%s,"ok":true,"failure":null,"message":null,"return_code":0,"runner_exiting":false}\n' "$id" ;;
              esac ;;
            time) printf '{"v":1,"id":%s,"ok":true,"samples_us":[10.5,11.0,10.75],"l2_flushed":true,"wall_ms":2.5,"failure":null,"message":null,"return_code":0,"runner_exiting":false}\n' "$id" ;;
            shutdown) printf '{"v":1,"id":%s,"ok":true}\n' "$id"; exit 0 ;;
          esac
        done
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task HelloAsync_ReadsTheEnvironment()
    {
        await using var client = NewClient();

        var hello = await client.HelloAsync(Deadline);

        Assert.Equal("Fake GPU", hello.GpuName);
        Assert.Equal("9.0", hello.ComputeCapability);
        Assert.Equal(52428800, hello.L2CacheBytes);
        Assert.Equal(132, hello.MultiprocessorCount);
        Assert.Null(hello.SmClockMegahertz);
        Assert.Equal(1, client.StartCount);
    }

    [Fact]
    public async Task MeasureBandwidthAsync_ReturnsBytesPerSecond()
    {
        await using var client = NewClient();

        Assert.Equal(3.0e12, await client.MeasureBandwidthAsync(1 << 28, Deadline));
    }

    [Fact]
    public async Task LoadAsync_LoadError_IsAFailureValue()
    {
        await using var client = NewClient();

        var result = await LoadAsync(client, "/tmp/bad.so");

        Assert.Equal(FailureKind.LoadError, result.Failure);
        Assert.Contains("kforge_entry", result.Message, StringComparison.Ordinal);
        Assert.Null(client.LoadedLibraryPath);
    }

    [Fact]
    public async Task LoadAsync_Cublas_AsksTheRunnerForAHandleOnlyThen()
    {
        await using var client = NewClient();

        var withHandle = await client.LoadAsync("/tmp/good.so", [], [], [[]], Deadline, cublas: true);
        var without = await LoadAsync(client, "/tmp/good.so");

        Assert.Equal("asked for a cuBLAS handle", withHandle.Message);
        Assert.True(without.Succeeded);
    }

    [Fact]
    public async Task LoadAsync_Cudnn_AsksTheRunnerForAHandleOnlyThen()
    {
        await using var client = NewClient();

        var withHandle = await client.LoadAsync("/tmp/good.so", [], [], [[]], Deadline, cudnn: true);
        var cublasOnly = await client.LoadAsync("/tmp/good.so", [], [], [[]], Deadline, cublas: true);
        var without = await LoadAsync(client, "/tmp/good.so");

        Assert.Equal("asked for a cuDNN handle", withHandle.Message);
        Assert.Equal("asked for a cuBLAS handle", cublasOnly.Message);
        Assert.True(without.Succeeded);
    }

    [Fact]
    public async Task RunAsync_Success_HasNoFailure()
    {
        await using var client = NewClient();
        Assert.True((await LoadAsync(client, "/tmp/good.so")).Succeeded);

        var result = await client.RunAsync(0, ["/tmp/out0.npy"], Deadline);

        Assert.True(result.Succeeded);
        Assert.Equal(0, result.ReturnCode);
    }

    [Fact]
    public async Task RunAsync_HarnessFailure_IsReported()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.so");

        var result = await client.RunAsync(4, ["/tmp/out0.npy"], Deadline);

        Assert.Equal(FailureKind.OutOfBoundsWrite, result.Failure);
        Assert.Equal("guard after output 0", result.Message);
        Assert.Equal("/tmp/good.so", client.LoadedLibraryPath);
    }

    [Fact]
    public async Task RunAsync_RunnerCrashes_IsRunnerCrashedAndTheNextCallStartsAFreshRunner()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.so");

        var result = await client.RunAsync(1, ["/tmp/out0.npy"], Deadline);

        Assert.Equal(FailureKind.RunnerCrashed, result.Failure);
        Assert.Contains("139", result.Message, StringComparison.Ordinal);
        Assert.Null(client.LoadedLibraryPath);
        await client.HelloAsync(Deadline);
        Assert.Equal(2, client.StartCount);
    }

    [Fact]
    public async Task RunAsync_StickyError_ReportsItAndReplacesTheRunner()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.so");

        var result = await client.RunAsync(2, ["/tmp/out0.npy"], Deadline);

        Assert.Equal(FailureKind.RuntimeError, result.Failure);
        Assert.Null(client.LoadedLibraryPath);
        await client.HelloAsync(Deadline);
        Assert.Equal(2, client.StartCount);
    }

    [Fact]
    public async Task RunAsync_RunnerHangs_IsTimeoutAndTheRunnerIsReplaced()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.so");

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
    public async Task TimeAsync_ReturnsRawSamplesAndWallTime()
    {
        await using var client = NewClient();
        await LoadAsync(client, "/tmp/good.so");

        var result = await client.TimeAsync(TimingOptions.Default, Deadline);

        Assert.True(result.Succeeded);
        Assert.Equal([10.5, 11.0, 10.75], result.SamplesMicroseconds);
        Assert.True(result.L2Flushed);
        Assert.Equal(2.5, result.WallMilliseconds);
    }

    private static AbiRunnerClient NewClient() => new(() => new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", FakeRunner } });

    private static Task<RunnerLoadResult> LoadAsync(AbiRunnerClient client, string libraryPath) => client.LoadAsync(
        libraryPath,
        [new TensorSpec("x", [4], DataType.Float32, TensorRole.Input)],
        [new TensorSpec("y", [4], DataType.Float32, TensorRole.Output)],
        [["/tmp/x0.npy"]],
        Deadline);
}
