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

    /// <summary>
    /// The library policy: true (<c>allow-libraries</c>, the default) lets matrix products call cuBLAS and convolutions
    /// cuDNN, by default and as a tuner's alternative to the own kernel; false (<c>pure-cuda</c>) keeps every kernel our own and never emits a library call.
    /// </summary>
    public bool AllowLibraries { get; init; } = true;

    /// <summary>The schedules this translator accepts for <paramref name="kind"/> under its library policy, and the default.</summary>
    public ScheduleSpace SpaceFor(KernelKind kind) => ScheduleSpace.For(kind, AllowLibraries);

    /// <summary>Translates with <paramref name="schedule"/> for every kernel whose <see cref="ScheduleSpace"/> contains it, each kind's default elsewhere.</summary>
    public TranslationResult Translate(string graphJson, Schedule? schedule = null)
    {
        var notes = new List<Diagnostic>();
        if (schedule is not null && !Enum.GetValues<KernelKind>().Any(kind => SpaceFor(kind).Contains(schedule)))
        {
            notes.Add(Diagnostic.Warning(null, $"schedule ({schedule}) is in no kernel kind's ScheduleSpace{(AllowLibraries ? "" : " under pure-cuda")}; every kernel used its default."));
        }

        return Translate(graphJson, kind => schedule is not null && SpaceFor(kind).Contains(schedule) ? schedule : SpaceFor(kind).Default, notes);
    }

    /// <summary>Translates with one schedule per kernel kind (a tuner's choice); kinds missing from <paramref name="schedules"/> use their default.</summary>
    /// <exception cref="ArgumentException">A schedule lies outside its kind's space under this translator's policy (<see cref="SpaceFor"/>).</exception>
    public TranslationResult Translate(string graphJson, IReadOnlyDictionary<KernelKind, Schedule> schedules)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        foreach (var (kind, schedule) in schedules.Where(pair => !SpaceFor(pair.Key).Contains(pair.Value)))
        {
            throw new ArgumentException(
                $"Schedule ({schedule}) is outside the {kind} space{(AllowLibraries ? "" : " under pure-cuda (no library calls)")}; pick values from Translator.SpaceFor({kind}).",
                nameof(schedules));
        }

        return Translate(graphJson, kind => schedules.TryGetValue(kind, out var chosen) ? chosen : SpaceFor(kind).Default, []);
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
        var lowerings = Lowerings(read.Exported!, optimized, emission.Kernels, AllowLibraries);
        return emission.Source is null
            ? TranslationResult.Failure(diagnostics, lowerings)
            : TranslationResult.Success(emission.Source, diagnostics, lowerings, emission.Kernels, emission.IRHash);
    }

    private static List<LoweringNote> Lowerings(ExportedGraph exported, IRGraph optimized, IReadOnlyList<EmittedKernel> kernels, bool allowLibraries)
    {
        var notes = new List<LoweringNote>();
        foreach (var node in exported.Nodes)
        {
            var kernel = kernels.FirstOrDefault(k => k.Origins.Contains(node.Name));
            var view = optimized.Operations.OfType<ReshapeOp>().FirstOrDefault(o => o.Origins.Contains(node.Name));
            var how = kernel is not null ? $"{kernel.Name}: {kernel.Strategy}{PolicyNote(kernel, allowLibraries)}"
                : view is not null ? $"view of {view.Source}: aliases its memory, no kernel"
                : "no code: folded away, or not needed for any output";
            notes.Add(new LoweringNote(node.Name, node.Target, how));
        }

        return notes;
    }

    /// <summary>
    /// Why a product is on its own kernel when the policy could have changed that, said in its note; empty elsewhere (a
    /// library lowering's strategy already starts with the library's name).
    /// </summary>
    private static string PolicyNote(EmittedKernel kernel, bool allowLibraries) => (kernel.Kind, kernel.Schedule.Lowering, allowLibraries) switch
    {
        (KernelKind.Matmul or KernelKind.Convolution, Lowering.Library, _) => "",
        (KernelKind.Matmul, _, true) => " [own kernel by schedule; allow-libraries also permits cuBLAS]",
        (KernelKind.Matmul, _, false) => " [pure-cuda: own kernel, no cuBLAS]",
        (KernelKind.Convolution, _, true) => " [own kernel by schedule; allow-libraries also permits cuDNN]",
        (KernelKind.Convolution, _, false) => " [pure-cuda: own kernel, no cuDNN]",
        _ => "",
    };
}
