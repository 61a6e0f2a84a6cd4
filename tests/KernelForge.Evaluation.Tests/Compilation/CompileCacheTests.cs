using KernelForge.Core;
using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

public sealed class CompileCacheTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly KernelResourceUsage[] Kernels = [new("_Z1kPfi", 8, 1024, 16, 4, 8, 380)];

    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ComputeKey_SameParts_SameKey()
    {
        Assert.Equal(CompileCache.ComputeKey("src", "-O3", "v1", "hdr"), CompileCache.ComputeKey("src", "-O3", "v1", "hdr"));
        Assert.Matches("^[0-9a-f]{64}$", CompileCache.ComputeKey("src", "-O3", "v1", "hdr"));
    }

    [Fact]
    public void ComputeKey_AnyPartChanges_KeyChanges()
    {
        var baseline = CompileCache.ComputeKey("src", "-O3", "v1", "hdr");

        Assert.NotEqual(baseline, CompileCache.ComputeKey("src2", "-O3", "v1", "hdr"));
        Assert.NotEqual(baseline, CompileCache.ComputeKey("src", "-O2", "v1", "hdr"));
        Assert.NotEqual(baseline, CompileCache.ComputeKey("src", "-O3", "v2", "hdr"));
        Assert.NotEqual(baseline, CompileCache.ComputeKey("src", "-O3", "v1", "hdr2"));
    }

    [Fact]
    public void ComputeKey_TextMovedBetweenParts_KeyChanges()
    {
        Assert.NotEqual(CompileCache.ComputeKey("ab", "c", "", ""), CompileCache.ComputeKey("a", "bc", "", ""));
    }

    [Fact]
    public async Task TryGetAsync_NothingStored_ReturnsNull()
    {
        var cache = new CompileCache(_root.Path);

        Assert.Null(await cache.TryGetAsync(Key));
    }

    [Fact]
    public async Task CommitAsync_ThenTryGet_HitWithLogKernelsAndLibrary()
    {
        var cache = new CompileCache(_root.Path);
        var staging = cache.CreateStagingDirectory(Key);
        var built = Build(staging, "ELF bytes");

        var stored = await cache.CommitAsync(Key, staging, built);
        var hit = await cache.TryGetAsync(Key);

        var expectedLibrary = Path.Combine(_root.Path, "01", Key, CompileCache.LibraryFileName);
        Assert.Equal(expectedLibrary, stored.LibraryPath);
        Assert.False(stored.CacheHit);
        Assert.NotNull(hit);
        Assert.True(hit.Succeeded);
        Assert.True(hit.CacheHit);
        Assert.True(hit.Seconds >= 0);
        Assert.Equal(expectedLibrary, hit.LibraryPath);
        Assert.Equal("ELF bytes", await File.ReadAllTextAsync(hit.LibraryPath!));
        Assert.Equal(built.Log, hit.Log);
        Assert.Equal(Kernels, hit.Kernels);
        Assert.True(File.Exists(Path.Combine(_root.Path, "01", Key, CompileCache.LogFileName)));
        Assert.Contains("\"shared_memory_bytes\": 1024", await File.ReadAllTextAsync(Path.Combine(_root.Path, "01", Key, CompileCache.ResourcesFileName)), StringComparison.Ordinal);
        Assert.Equal([Path.Combine(_root.Path, "01", Key)], Directory.GetDirectories(Path.Combine(_root.Path, "01")));
    }

    [Fact]
    public async Task CommitAsync_LibraryOutsideStaging_IsMovedIn()
    {
        var cache = new CompileCache(_root.Path);
        var staging = cache.CreateStagingDirectory(Key);
        var elsewhere = _root.Combine("built.so");
        await File.WriteAllTextAsync(elsewhere, "lib");

        var stored = await cache.CommitAsync(Key, staging, CompileResult.Success(elsewhere, 1, false, "log", []));

        Assert.False(File.Exists(elsewhere));
        Assert.Equal("lib", await File.ReadAllTextAsync(stored.LibraryPath!));
    }

    [Fact]
    public async Task CommitAsync_LibraryMissing_ThrowsAndLeavesNoPartialDirectory()
    {
        var cache = new CompileCache(_root.Path);
        var staging = cache.CreateStagingDirectory(Key);
        var built = CompileResult.Success(Path.Combine(staging, CompileCache.LibraryFileName), 1, false, "log", []);

        await Assert.ThrowsAsync<ArgumentException>(() => cache.CommitAsync(Key, staging, built));

        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_root.Path, "01")));
        Assert.Null(await cache.TryGetAsync(Key));
    }

    [Fact]
    public async Task CommitAsync_FailedBuild_ThrowsAndDiscardsStaging()
    {
        var cache = new CompileCache(_root.Path);
        var staging = cache.CreateStagingDirectory(Key);

        await Assert.ThrowsAsync<ArgumentException>(() => cache.CommitAsync(Key, staging, CompileResult.Failed(FailureKind.CompileError, 1, "error")));

        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public async Task CommitAsync_SecondWriterLosesRace_KeepsFirstEntryAndDiscardsStaging()
    {
        var cache = new CompileCache(_root.Path);
        var first = cache.CreateStagingDirectory(Key);
        var second = cache.CreateStagingDirectory(Key);
        var firstBuilt = Build(first, "first");
        var secondBuilt = Build(second, "second");

        await cache.CommitAsync(Key, first, firstBuilt);
        var loser = await cache.CommitAsync(Key, second, secondBuilt);

        Assert.False(Directory.Exists(second));
        Assert.Equal("first", await File.ReadAllTextAsync(loser.LibraryPath!));
        Assert.Single(Directory.GetDirectories(Path.Combine(_root.Path, "01")));
    }

    [Fact]
    public async Task TryGetAsync_DamagedResources_IsAMiss()
    {
        var cache = new CompileCache(_root.Path);
        var staging = cache.CreateStagingDirectory(Key);
        await cache.CommitAsync(Key, staging, Build(staging, "lib"));
        await File.WriteAllTextAsync(Path.Combine(cache.EntryDirectory(Key), CompileCache.ResourcesFileName), "{ not json");

        Assert.Null(await cache.TryGetAsync(Key));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123")]
    [InlineData("abc")]
    public void EntryDirectory_KeyNotLowerHex_Throws(string key)
    {
        var cache = new CompileCache(_root.Path);

        Assert.Throws<ArgumentException>(() => cache.EntryDirectory(key));
    }

    private static CompileResult Build(string staging, string content)
    {
        var library = Path.Combine(staging, CompileCache.LibraryFileName);
        File.WriteAllText(library, content);
        return CompileResult.Success(library, 2.5, cacheHit: false, "ptxas info    : Used 8 registers\n", Kernels);
    }
}
