using System.Collections.Immutable;

namespace KernelForge.Translation.IR;

/// <summary>One step of an <see cref="IRGraph"/>: it reads named values and defines <see cref="Result"/>.</summary>
/// <remarks>The set of operations is closed; the emitter handles every kind the passes leave behind.</remarks>
public abstract record Operation(IRValue Result)
{
    /// <summary>The exported-graph nodes this operation computes, for the "lowered how" report.</summary>
    public ImmutableArray<string> Origins { get; init; } = [];

    /// <summary>Names of the values read, in a stable order.</summary>
    public abstract IReadOnlyList<string> Operands { get; }

    /// <summary>The same operation reading <c>rename(name)</c> instead of each operand.</summary>
    public abstract Operation RenameOperands(Func<string, string> rename);

    /// <summary>The operation's own part of the IR text, e.g. <c>softmax(%x)</c>; see <see cref="IRPrinter"/>.</summary>
    public abstract string Describe();

    /// <summary>This operation with <paramref name="origins"/> added to its own.</summary>
    public Operation WithOrigins(IEnumerable<string> origins) =>
        this with { Origins = [.. Origins.Concat(origins).Distinct(StringComparer.Ordinal)] };
}
