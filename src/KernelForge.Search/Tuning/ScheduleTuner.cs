using KernelForge.Core;
using KernelForge.Translation;
using KernelForge.Translation.Cuda;

namespace KernelForge.Search.Tuning;

/// <summary>
/// Tunes the built-in translator's schedule knobs for one problem: translates schedule variants, evaluates each
/// distinct source, and keeps the fastest accepted one.
/// </summary>
/// <remarks>
/// Variants are planned so that the count stays linear in the knobs: first every kind at its default, then one kind
/// at a time through its whole <see cref="ScheduleSpace"/> (the translator's, so under <c>allow-libraries</c> a matmul's
/// cuBLAS call, its default, is weighed against each own-kernel schedule) with the others at their defaults (kinds taken in turn, so a
/// short budget still touches every kind), then, when more than one kind is present, the best schedule of each kind
/// together. Variants whose code (comments aside) is identical to one already evaluated are skipped (a knob that does
/// not change the code for this problem's shapes). The budget is checked before every evaluation after the first, so the default
/// schedule is always evaluated; cancellation and the budget both end the run with the best result so far. Rejected
/// evaluations never win. Not thread-safe: one run at a time per tuner.
/// </remarks>
public sealed class ScheduleTuner
{
    /// <summary>Prefix of the <see cref="Candidate.Origin"/> of every candidate the tuner proposes.</summary>
    public const string OriginPrefix = "schedule-tuner";

    private readonly IKernelEvaluator _evaluator;
    private readonly Func<string, IReadOnlyDictionary<KernelKind, Schedule>, TranslationResult> _translate;
    private readonly Func<KernelKind, ScheduleSpace> _spaceFor;
    private readonly TimeProvider _timeProvider;

    /// <summary>A tuner over <paramref name="translator"/>'s spaces: under its library policy (<see cref="Translator.AllowLibraries"/>), library vs own kernel is one more knob.</summary>
    public ScheduleTuner(IKernelEvaluator evaluator, Translator? translator = null, TimeProvider? timeProvider = null)
        : this(evaluator, (translator ??= new Translator()).Translate, timeProvider, translator.SpaceFor)
    {
    }

    /// <summary>Tests substitute the translation to produce sources that differ only in comments, or not at all.</summary>
    /// <remarks><paramref name="spaceFor"/> defaults to the spaces of a default <see cref="Translator"/> (libraries allowed).</remarks>
    internal ScheduleTuner(
        IKernelEvaluator evaluator,
        Func<string, IReadOnlyDictionary<KernelKind, Schedule>, TranslationResult> translate,
        TimeProvider? timeProvider = null,
        Func<KernelKind, ScheduleSpace>? spaceFor = null)
    {
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        _translate = translate ?? throw new ArgumentNullException(nameof(translate));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _spaceFor = spaceFor ?? (kind => ScheduleSpace.For(kind, allowLibraries: true));
    }

    /// <summary>The kernel kinds a translation contains, in enum order: the knobs the tuner varies.</summary>
    public static IReadOnlyList<KernelKind> KindsOf(TranslationResult translation)
    {
        ArgumentNullException.ThrowIfNull(translation);
        return [.. translation.Kernels.Select(kernel => kernel.Kind).Distinct().Order()];
    }

    /// <summary>
    /// The variants the first phase evaluates, in order, with identical sources removed: the defaults first, then one
    /// kind varied at a time. Callers may use it to start building them all ahead of the evaluations.
    /// </summary>
    public IReadOnlyList<ScheduleVariant> Plan(string graphJson, TranslationResult baseline) => PlanWithDuplicates(graphJson, baseline).Variants;

    /// <summary>Evaluates the planned variants, then the combination of each kind's best, until done, out of budget or cancelled.</summary>
    /// <remarks>Every evaluation is reported through <paramref name="progress"/>, synchronously, before the next starts.</remarks>
    public async Task<TuningResult> TuneAsync(
        string graphJson,
        TranslationResult baseline,
        ScheduleTuningOptions options,
        IProgress<TuningProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = _timeProvider.GetTimestamp();
        var (planned, duplicates) = PlanWithDuplicates(graphJson, baseline);
        var seen = planned.Select(variant => variant.SourceHash).ToHashSet(StringComparer.Ordinal);
        var run = new Run(options, progress, planned.Count, duplicates);

        var stop = await EvaluateAllAsync(planned, run, started, cancellationToken);
        if (stop is null && KindsOf(baseline).Count > 1 && Combine(graphJson, run.Evaluated) is { } combined)
        {
            if (seen.Add(combined.SourceHash))
            {
                run.Planned++;
                stop = await EvaluateAllAsync([combined], run, started, cancellationToken);
            }
            else
            {
                run.Duplicates++;
            }
        }

        return new TuningResult(run.Best, [.. run.Evaluated], run.Duplicates, stop ?? TuningStopReason.Exhausted, _timeProvider.GetElapsedTime(started));
    }

    private async Task<TuningStopReason?> EvaluateAllAsync(IReadOnlyList<ScheduleVariant> variants, Run run, long started, CancellationToken cancellationToken)
    {
        foreach (var variant in variants)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return TuningStopReason.Cancelled;
            }

            if (run.Evaluated.Count > 0 && _timeProvider.GetElapsedTime(started) >= run.Options.Budget)
            {
                return TuningStopReason.BudgetSpent;
            }

            var candidate = new Candidate(variant.Translation.Source!, CandidateFormat.Abi, $"{OriginPrefix}: {ScheduleText.Describe(variant.Schedules)}");
            var request = new EvaluationRequest(run.Options.ProblemPath, candidate, run.Options.Precision, run.Options.Timing, run.Options.InputSetCount);
            EvaluationResult evaluation;
            try
            {
                evaluation = await _evaluator.EvaluateAsync(request, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return TuningStopReason.Cancelled;
            }

            run.Add(new TunedVariant(variant.Schedules, variant.Translation, evaluation));
        }

        return null;
    }

    private (IReadOnlyList<ScheduleVariant> Variants, int Duplicates) PlanWithDuplicates(string graphJson, TranslationResult baseline)
    {
        ArgumentNullException.ThrowIfNull(graphJson);
        var kinds = KindsOf(baseline);
        var defaults = kinds.ToDictionary(kind => kind, kind => _spaceFor(kind).Default);
        var alternatives = kinds.Select(kind => _spaceFor(kind).Enumerate().Where(schedule => schedule != defaults[kind]).ToList()).ToList();

        List<IReadOnlyDictionary<KernelKind, Schedule>> maps = [defaults];
        for (var index = 0; index < alternatives.Select(list => list.Count).DefaultIfEmpty(0).Max(); index++)
        {
            for (var k = 0; k < kinds.Count; k++)
            {
                if (index < alternatives[k].Count)
                {
                    maps.Add(new Dictionary<KernelKind, Schedule>(defaults) { [kinds[k]] = alternatives[k][index] });
                }
            }
        }

        var variants = new List<ScheduleVariant>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var map in maps)
        {
            if (Translate(graphJson, map) is not { } variant)
            {
                continue;
            }

            if (seen.Add(variant.SourceHash))
            {
                variants.Add(variant);
            }
            else
            {
                duplicates++;
            }
        }

        return (variants, duplicates);
    }

    /// <summary>Each kind's fastest accepted schedule among the variants that left the other kinds at their defaults.</summary>
    private ScheduleVariant? Combine(string graphJson, IReadOnlyList<TunedVariant> evaluated)
    {
        var accepted = evaluated.Where(variant => variant.MedianMicroseconds is not null).ToList();
        if (accepted.Count == 0)
        {
            return null;
        }

        var kinds = accepted[0].Schedules.Keys.ToList();
        var combined = new Dictionary<KernelKind, Schedule>();
        foreach (var kind in kinds)
        {
            var othersAtDefault = accepted.Where(variant => variant.Schedules.All(pair => pair.Key == kind || pair.Value == _spaceFor(pair.Key).Default));
            combined[kind] = othersAtDefault.MinBy(variant => variant.MedianMicroseconds)?.Schedules[kind] ?? _spaceFor(kind).Default;
        }

        return Translate(graphJson, combined);
    }

    private ScheduleVariant? Translate(string graphJson, IReadOnlyDictionary<KernelKind, Schedule> schedules)
    {
        var translation = _translate(graphJson, schedules);
        return translation.Source is { } source ? new ScheduleVariant(schedules, translation, CodeHash(source)) : null;
    }

    /// <summary>
    /// The content hash of the source without its whole-line <c>//</c> comments: the emitter writes each kernel's schedule
    /// into a comment, so two schedules that give the same code for this problem's shapes differ only there.
    /// </summary>
    internal static string CodeHash(string source) =>
        ContentHash.Of(string.Join('\n', source.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal))));

    /// <summary>The running state of one <see cref="TuneAsync"/> call.</summary>
    private sealed class Run(ScheduleTuningOptions options, IProgress<TuningProgress>? progress, int planned, int duplicates)
    {
        public ScheduleTuningOptions Options { get; } = options;

        public List<TunedVariant> Evaluated { get; } = [];

        public TunedVariant? Best { get; private set; }

        public int Planned { get; set; } = planned;

        public int Duplicates { get; set; } = duplicates;

        public void Add(TunedVariant variant)
        {
            Evaluated.Add(variant);
            if (variant.MedianMicroseconds is { } median && (Best is null || median < Best.MedianMicroseconds))
            {
                Best = variant;
            }

            progress?.Report(new TuningProgress(Evaluated.Count, Evaluated.Count(v => v.Evaluation.Accepted), Planned, Duplicates, Best?.MedianMicroseconds, variant));
        }
    }
}
