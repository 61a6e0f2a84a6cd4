using System.Runtime.InteropServices;

namespace KernelForge.Evaluation.Runner;

/// <summary>Serves a candidate's <c>ctx-&gt;workspace(ctx, bytes)</c> requests with device memory that lives until the call's work is done.</summary>
/// <remarks>
/// Blocks are kept across calls and handed out again in request order, so after the first (warm-up) call a timed
/// call does no cudaMalloc: allocating inside the timed region would charge the candidate for the allocator.
/// Within one call every request gets its own block. A block too small for this call's request is retired and freed
/// after the call (<see cref="EndCall"/>), never during it, because cudaFree synchronizes the device. Blocks are
/// freed on <see cref="Dispose"/>. Not thread-safe; the entry is called from one thread.
/// </remarks>
internal sealed unsafe class WorkspaceArena : IDisposable
{
    /// <summary>cudaMalloc's own alignment; a zero-byte request still gets a distinct, valid pointer.</summary>
    private const long MinimumBlockBytes = 256;

    private readonly List<(nint Pointer, long SizeBytes)> _blocks = [];
    private readonly List<nint> _retired = [];
    private int _nextBlock;

    /// <summary>Device bytes currently held.</summary>
    public long HeldBytes => _blocks.Sum(block => block.SizeBytes);

    /// <summary>The callback the candidate calls through <see cref="KfContext.Workspace"/>.</summary>
    public static delegate* unmanaged<KfContext*, nuint, void*> Callback => &Allocate;

    /// <summary>Starts a call: requests are served from the first kept block again.</summary>
    public void BeginCall() => _nextBlock = 0;

    /// <summary>Frees blocks retired during the call; call it once the call's work is done (after synchronizing).</summary>
    public void EndCall()
    {
        foreach (var pointer in _retired)
        {
            _ = CudaRuntime.FreeCode(pointer);
        }

        _retired.Clear();
    }

    /// <summary>A block of at least <paramref name="sizeBytes"/>, or zero when cudaMalloc fails.</summary>
    public nint Take(long sizeBytes)
    {
        var wanted = Math.Max(sizeBytes, MinimumBlockBytes);
        if (_nextBlock < _blocks.Count)
        {
            var kept = _blocks[_nextBlock];
            if (kept.SizeBytes >= wanted)
            {
                _nextBlock++;
                return kept.Pointer;
            }

            var pointer = CudaRuntime.TryMalloc(wanted);
            if (pointer == 0)
            {
                return 0;
            }

            _retired.Add(kept.Pointer);
            _blocks[_nextBlock++] = (pointer, wanted);
            return pointer;
        }

        var fresh = CudaRuntime.TryMalloc(wanted);
        if (fresh != 0)
        {
            _blocks.Add((fresh, wanted));
            _nextBlock++;
        }

        return fresh;
    }

    public void Dispose()
    {
        EndCall();
        foreach (var (pointer, _) in _blocks)
        {
            _ = CudaRuntime.FreeCode(pointer);
        }

        _blocks.Clear();
    }

    [UnmanagedCallersOnly]
    private static void* Allocate(KfContext* context, nuint sizeBytes)
    {
        // An exception must not cross back into native code (it would abort the process), and the ABI's answer to
        // a request that cannot be met is NULL, so every failure here becomes null.
        try
        {
            if (context == null || context->Harness == null || sizeBytes > long.MaxValue)
            {
                return null;
            }

            var arena = GCHandle.FromIntPtr((nint)context->Harness).Target as WorkspaceArena;
            return arena is null ? null : (void*)arena.Take((long)sizeBytes);
        }
        catch (Exception)
        {
            return null;
        }
    }
}
