using KernelForge.Translation.Cuda;
using KernelForge.Translation.Diagnostics;
using KernelForge.Translation.Frontend;
using KernelForge.Translation.IR;
using KernelForge.Translation.Passes;

namespace KernelForge.Translation;

/// <summary>The built-in translator: graph JSON exported by the worker → verified IR → passes → one KernelForge ABI <c>.cu</c> file.</summary>
/// <remarks>
/// Pure and deterministic: no I/O, no processes; the same graph and schedules give the same bytes. Expected failures
/// (unsupported ops, malformed graphs) come back as diagnostics; an exception means a bug in a pass.
/// Thread-safe: a translator holds no state between calls.
/// </remarks>
public sealed class Translator(PassPipeline? pipeline = null)
{
    private readonly PassPipeline _pipeline = pipeline ?? PassPipeline.Default;

    /// <summary>Translates with <paramref name="schedule"/> for every kernel whose <see cref="ScheduleSpace"/> contains it, each kind's default elsewhere.</summary>
    public TranslationResult Translate(string graphJson, Schedule? schedule = null)
    {
        var notes = new List<Diagnostic>();
        if (schedule is not null && !ScheduleSpace.All.Any(space => space.Contains(schedule)))
        {
            notes.Add(Diagnostic.Warning(null, $"schedule ({schedule}) is in no kernel kind's ScheduleSpace; every kernel used its default."));
        }

        return Translate(graphJson, kind => schedule is not null && ScheduleSpace.For(kind).Contains(schedule) ? schedule : ScheduleSpace.For(kind).Default, notes);
    }

    /// <summary>Translates with one schedule per kernel kind (a tuner's choice); kinds missing from <paramref name="schedules"/> use their default.</summary>
    /// <exception cref="ArgumentException">A schedule lies outside its kind's <see cref="ScheduleSpace"/>.</exception>
    public TranslationResult Translate(string graphJson, IReadOnlyDictionary<KernelKind, Schedule> schedules)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        foreach (var (kind, schedule) in schedules.Where(pair => !ScheduleSpace.For(pair.Key).Contains(pair.Value)))
        {
            throw new ArgumentException($"Schedule ({schedule}) is outside the {kind} space; pick values from ScheduleSpace.For({kind}).", nameof(schedules));
        }

        return Translate(graphJson, kind => schedules.TryGetValue(kind, out var chosen) ? chosen : ScheduleSpace.For(kind).Default, []);
    }

    private TranslationResult Translate(string graphJson, Func<KernelKind, Schedule> scheduleFor, List<Diagnostic> notes)
    {
        ArgumentNullException.ThrowIfNull(graphJson);
        var read = GraphReader.Read(graphJson);
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(notes);
        diagnostics.AddRange(read.Diagnostics);
        if (read.Graph is not { } graph)
        {
            return TranslationResult.Failure(diagnostics);
        }

        var invalid = IRVerifier.Verify(graph);
        if (invalid.Count > 0)
        {
            diagnostics.AddRange(invalid);
            return TranslationResult.Failure(diagnostics);
        }

        var optimized = _pipeline.Run(graph, (pass, result) =>
        {
            var errors = IRVerifier.Verify(result);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"{pass.Name} produced invalid IR (a translator bug): {string.Join("; ", errors)}\n{result}");
            }
        });

        var emission = CudaEmitter.Emit(optimized, scheduleFor);
        diagnostics.AddRange(emission.Diagnostics);
        var lowerings = Lowerings(read.Exported!, optimized, emission.Kernels);
        return emission.Source is null
            ? TranslationResult.Failure(diagnostics, lowerings)
            : TranslationResult.Success(emission.Source, diagnostics, lowerings, emission.Kernels, emission.IRHash);
    }

    private static List<LoweringNote> Lowerings(ExportedGraph exported, IRGraph optimized, IReadOnlyList<EmittedKernel> kernels)
    {
        var notes = new List<LoweringNote>();
        foreach (var node in exported.Nodes)
        {
            var kernel = kernels.FirstOrDefault(k => k.Origins.Contains(node.Name));
            var view = optimized.Operations.OfType<ReshapeOp>().FirstOrDefault(o => o.Origins.Contains(node.Name));
            var how = kernel is not null ? $"{kernel.Name}: {kernel.Strategy}"
                : view is not null ? $"view of {view.Source}: aliases its memory, no kernel"
                : "no code: folded away, or not needed for any output";
            notes.Add(new LoweringNote(node.Name, node.Target, how));
        }

        return notes;
    }
}
