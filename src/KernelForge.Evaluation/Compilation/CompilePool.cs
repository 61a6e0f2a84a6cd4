using KernelForge.Core;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Compiles candidates in parallel on all cores, through the on-disk cache, building each distinct source once.</summary>
/// <remarks>
/// <para>At most <see cref="MaxParallelCompiles"/> builds run at once; more callers queue. Calls for sources with the
/// same cache key while one is in flight share that build and its result. A cancelled caller stops waiting at
/// once; the shared build is cancelled only when every caller waiting on it has cancelled.</para>
/// <para><c>Seconds</c> of a result is measured here with the injected <see cref="TimeProvider"/>: for a build, from
/// the moment it got a slot (queueing excluded) until it was stored; for a cache hit, the lookup. Thread-safe.</para>
/// </remarks>
public sealed class CompilePool : IDisposable
{
    private readonly IKernelCompiler _compiler;
    private readonly CompileCache? _cache;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _slots;
    private readonly Dictionary<string, Flight> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>
    /// A pool over <paramref name="compiler"/>. Without a <paramref name="cache"/>, each successful build's library is left
    /// in its own temporary folder; <paramref name="maxParallelCompiles"/> defaults to <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public CompilePool(IKernelCompiler compiler, CompileCache? cache = null, int? maxParallelCompiles = null, TimeProvider? timeProvider = null)
    {
        _compiler = compiler ?? throw new ArgumentNullException(nameof(compiler));
        _cache = cache;
        _timeProvider = timeProvider ?? TimeProvider.System;
        MaxParallelCompiles = maxParallelCompiles ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxParallelCompiles, nameof(maxParallelCompiles));
        _slots = new SemaphoreSlim(MaxParallelCompiles, MaxParallelCompiles);
    }

    public int MaxParallelCompiles { get; }

    /// <summary>A pool over <paramref name="compiler"/> that caches in its <see cref="NvccOptions.CacheDirectory"/>, if set.</summary>
    public static CompilePool ForNvcc(NvccCompiler compiler, int? maxParallelCompiles = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        var cache = compiler.Options.CacheDirectory is { } directory ? new CompileCache(directory, timeProvider) : null;
        return new CompilePool(compiler, cache, maxParallelCompiles, timeProvider);
    }

    /// <summary>Builds <paramref name="source"/>, or returns the cached or in-flight build of an identical one.</summary>
    public async Task<CompileResult> CompileAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        var key = _compiler.ComputeCacheKey(source);
        Flight flight;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_inFlight.TryGetValue(key, out flight!))
            {
                flight = new Flight();
                _inFlight.Add(key, flight);
                flight.Task = RunAsync(key, source, flight);
            }

            flight.Waiters++;
        }

        try
        {
            return await flight.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var abandoned = false;
            lock (_gate)
            {
                if (--flight.Waiters == 0 && _inFlight.TryGetValue(key, out var current) && current == flight)
                {
                    // Nobody waits for this build any more: let the next caller start afresh, and stop it below.
                    _inFlight.Remove(key);
                    abandoned = true;
                }
            }

            if (abandoned)
            {
                // Outside the lock: cancellation callbacks may run the build's continuations inline.
                await flight.Cancellation.CancelAsync();
            }

            throw;
        }
    }

    /// <summary>Cancels builds in flight; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Flight[] flights;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            flights = [.. _inFlight.Values];
            _inFlight.Clear();
        }

        foreach (var flight in flights)
        {
            flight.Cancellation.Cancel();
        }
    }

    private async Task<CompileResult> RunAsync(string key, string source, Flight flight)
    {
        // Leave the caller's lock before doing any work.
        await Task.Yield();
        var cancellationToken = flight.Cancellation.Token;
        try
        {
            if (_cache is not null && await _cache.TryGetAsync(key, cancellationToken) is { } hit)
            {
                return hit;
            }

            await _slots.WaitAsync(cancellationToken);
            try
            {
                return await BuildAsync(key, source, cancellationToken);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_inFlight.TryGetValue(key, out var current) && current == flight)
                {
                    _inFlight.Remove(key);
                }
            }
        }
    }

    private async Task<CompileResult> BuildAsync(string key, string source, CancellationToken cancellationToken)
    {
        var start = _timeProvider.GetTimestamp();
        var output = _cache?.CreateStagingDirectory(key) ?? Directory.CreateTempSubdirectory("kforge-build-").FullName;
        CompileResult built;
        try
        {
            built = await _compiler.CompileAsync(source, output, cancellationToken);
        }
        catch
        {
            CompileCache.Discard(output);
            throw;
        }

        if (!built.Succeeded)
        {
            CompileCache.Discard(output);
        }
        else if (_cache is not null)
        {
            built = await _cache.CommitAsync(key, output, built, cancellationToken);
        }

        return built with { Seconds = _timeProvider.GetElapsedTime(start).TotalSeconds };
    }

    /// <summary>One build in progress and the callers waiting on it; guarded by <c>_gate</c>.</summary>
    private sealed class Flight
    {
        // Never disposed: it holds no timer, and a caller cancelling late must not meet ObjectDisposedException.
        public CancellationTokenSource Cancellation { get; } = new();

        public Task<CompileResult> Task { get; set; } = null!;

        public int Waiters { get; set; }
    }
}
