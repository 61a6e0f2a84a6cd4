using KernelForge.Core;
using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

/// <summary>
/// An <see cref="IKernelCompiler"/> that writes a dummy library, counts calls and concurrency, and can be held at a gate,
/// so pool tests control timing exactly.
/// </summary>
internal sealed class FakeKernelCompiler(Func<string, CancellationToken, Task>? onCompile = null) : IKernelCompiler
{
    private readonly Lock _lock = new();
    private int _running;

    public int Calls { get; private set; }

    public int MaxConcurrent { get; private set; }

    public List<string> Sources { get; } = [];

    public string ComputeCacheKey(string source) => ContentHash.Of(source);

    public async Task<CompileResult> CompileAsync(string source, string outputDirectory, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Calls++;
            Sources.Add(source);
            _running++;
            MaxConcurrent = Math.Max(MaxConcurrent, _running);
        }

        try
        {
            if (onCompile is not null)
            {
                await onCompile(source, cancellationToken);
            }

            if (source.Contains("syntax error", StringComparison.Ordinal))
            {
                return CompileResult.Failed(FailureKind.CompileError, 0, "kernel.cu(1): error: syntax error");
            }

            var library = Path.Combine(outputDirectory, "fake.so");
            await File.WriteAllTextAsync(library, source, cancellationToken);
            return CompileResult.Success(library, 0, cacheHit: false, "ptxas info    : Used 8 registers", []);
        }
        finally
        {
            lock (_lock)
            {
                _running--;
            }
        }
    }
}
