using KernelForge.Evaluation.Compilation;
using Microsoft.Extensions.Time.Testing;

namespace KernelForge.Evaluation.Tests.Compilation;

public sealed class CompilePoolTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task CompileAsync_ManySources_RunsAtMostMaxParallelAtOnce()
    {
        var compiler = new FakeKernelCompiler((_, ct) => _gate.Task.WaitAsync(ct));
        using var pool = new CompilePool(compiler, new CompileCache(_root.Path), maxParallelCompiles: 2);

        var builds = Enumerable.Range(0, 6).Select(i => pool.CompileAsync($"kernel {i}")).ToList();
        await WaitUntilAsync(() => compiler.Calls == 2);
        await Task.Delay(50);
        Assert.Equal(2, compiler.Calls);

        _gate.SetResult();
        var results = await Task.WhenAll(builds);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(6, compiler.Calls);
        Assert.Equal(2, compiler.MaxConcurrent);
        Assert.Equal(6, results.Select(r => r.LibraryPath).Distinct().Count());
    }

    [Fact]
    public async Task CompileAsync_IdenticalSourcesConcurrently_BuildsOnce()
    {
        var compiler = new FakeKernelCompiler((_, ct) => _gate.Task.WaitAsync(ct));
        using var pool = new CompilePool(compiler, new CompileCache(_root.Path), maxParallelCompiles: 4);

        var builds = Enumerable.Range(0, 5).Select(_ => pool.CompileAsync("same kernel")).ToList();
        await WaitUntilAsync(() => compiler.Calls == 1);
        _gate.SetResult();
        var results = await Task.WhenAll(builds);

        Assert.Equal(1, compiler.Calls);
        Assert.Single(results.Select(r => r.LibraryPath).Distinct());
        Assert.All(results, r => Assert.True(File.Exists(r.LibraryPath)));
    }

    [Fact]
    public async Task CompileAsync_AfterStore_IsCacheHitWithoutBuilding()
    {
        var compiler = new FakeKernelCompiler();
        using var pool = new CompilePool(compiler, new CompileCache(_root.Path));

        var first = await pool.CompileAsync("kernel");
        var second = await pool.CompileAsync("kernel");

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(first.LibraryPath, second.LibraryPath);
        Assert.Equal(1, compiler.Calls);
        Assert.EndsWith(CompileCache.LibraryFileName, first.LibraryPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompileAsync_FailedBuild_NotCachedAndNoStagingLeft()
    {
        var compiler = new FakeKernelCompiler();
        using var pool = new CompilePool(compiler, new CompileCache(_root.Path));

        var first = await pool.CompileAsync("syntax error");
        var second = await pool.CompileAsync("syntax error");

        Assert.False(first.Succeeded);
        Assert.False(second.CacheHit);
        Assert.Equal(2, compiler.Calls);
        Assert.All(Directory.GetDirectories(_root.Path), d => Assert.Empty(Directory.GetFileSystemEntries(d)));
    }

    [Fact]
    public async Task CompileAsync_MeasuresSecondsWithTimeProvider()
    {
        var time = new FakeTimeProvider();
        var compiler = new FakeKernelCompiler((_, _) =>
        {
            time.Advance(TimeSpan.FromSeconds(3));
            return Task.CompletedTask;
        });
        using var pool = new CompilePool(compiler, new CompileCache(_root.Path, time), timeProvider: time);

        var built = await pool.CompileAsync("kernel");
        var hit = await pool.CompileAsync("kernel");

        Assert.Equal(3.0, built.Seconds);
        Assert.Equal(0.0, hit.Seconds);
    }

    [Fact]
    public async Task CompileAsync_OneOfTwoWaitersCancels_BuildContinuesForTheOther()
    {
        var compiler = new FakeKernelCompiler((_, ct) => _gate.Task.WaitAsync(ct));
        using var pool = new CompilePool(compiler, new CompileCache(_root.Path));
        using var cancel = new CancellationTokenSource();

        var cancelled = pool.CompileAsync("kernel", cancel.Token);
        var kept = pool.CompileAsync("kernel");
        await WaitUntilAsync(() => compiler.Calls == 1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _gate.SetResult();

        Assert.True((await kept).Succeeded);
        Assert.Equal(1, compiler.Calls);
    }

    [Fact]
    public async Task CompileAsync_OnlyWaiterCancels_BuildIsCancelledAndNextCallBuildsAfresh()
    {
        var buildCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var compiler = new FakeKernelCompiler(async (_, ct) =>
        {
            try
            {
                await _gate.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                buildCancelled.SetResult();
                throw;
            }
        });
        using var pool = new CompilePool(compiler, new CompileCache(_root.Path));
        using var cancel = new CancellationTokenSource();

        var cancelled = pool.CompileAsync("kernel", cancel.Token);
        await WaitUntilAsync(() => compiler.Calls == 1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await buildCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));

        _gate.SetResult();
        var again = await pool.CompileAsync("kernel");
        Assert.True(again.Succeeded);
        Assert.False(again.CacheHit);
        Assert.Equal(2, compiler.Calls);
    }

    [Fact]
    public async Task CompileAsync_NoCache_LibraryInItsOwnFolder()
    {
        using var pool = new CompilePool(new FakeKernelCompiler(), cache: null);

        var result = await pool.CompileAsync("kernel");

        Assert.True(File.Exists(result.LibraryPath));
        Directory.Delete(Path.GetDirectoryName(result.LibraryPath)!, recursive: true);
    }

    [Fact]
    public void Constructor_Defaults_OneSlotPerCore()
    {
        using var pool = new CompilePool(new FakeKernelCompiler());

        Assert.Equal(Environment.ProcessorCount, pool.MaxParallelCompiles);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompilePool(new FakeKernelCompiler(), maxParallelCompiles: 0));
    }

    [Fact]
    public async Task CompileAsync_AfterDispose_Throws()
    {
        var pool = new CompilePool(new FakeKernelCompiler());
        pool.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.CompileAsync("kernel"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not reached within 10 s.");
            await Task.Delay(5);
        }
    }
}
