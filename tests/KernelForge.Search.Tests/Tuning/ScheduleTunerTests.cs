using KernelForge.Core;
using KernelForge.Search.Tuning;
using KernelForge.Translation;
using KernelForge.Translation.Cuda;
using Microsoft.Extensions.Time.Testing;

namespace KernelForge.Search.Tests.Tuning;

public sealed class ScheduleTunerTests
{
    private static readonly Schedule FastPointwise = new(512, 4, 2);

    private static string Graph(string name) => File.ReadAllText(RepositoryFiles.Find($"tests/KernelForge.Translation.Tests/Graphs/{name}.json"));

    private static (string Graph, TranslationResult Baseline) Problem(string name)
    {
        var graph = Graph(name);
        return (graph, new Translator().Translate(graph));
    }

    private static ScheduleTuningOptions Options(TimeSpan? budget = null) =>
        new("problems/level1/relu.py", PrecisionPolicy.Strict, budget ?? TimeSpan.FromHours(1), TimingOptions.Default);

    private static bool Has(Candidate candidate, KernelKind kind, Schedule schedule) =>
        candidate.Origin.Contains($"{kind} ({schedule})", StringComparison.Ordinal);

    [Fact]
    public async Task TuneAsync_OneFastSchedule_PicksIt()
    {
        var (graph, baseline) = Problem("relu");
        var evaluator = new FakeKernelEvaluator(candidate => Has(candidate, KernelKind.Pointwise, FastPointwise) ? 10.0 : 50.0);

        var result = await new ScheduleTuner(evaluator).TuneAsync(graph, baseline, Options());

        Assert.Equal(TuningStopReason.Exhausted, result.StopReason);
        Assert.NotNull(result.Best);
        Assert.Equal(FastPointwise, result.Best.Schedules[KernelKind.Pointwise]);
        Assert.Equal(10.0, result.Best.MedianMicroseconds);
        Assert.Equal(evaluator.Requests.Count, result.Evaluated.Count);
    }

    [Fact]
    public async Task TuneAsync_FirstEvaluation_IsTheDefaultSchedule()
    {
        var (graph, baseline) = Problem("relu");
        var evaluator = new FakeKernelEvaluator(_ => 50.0);

        await new ScheduleTuner(evaluator).TuneAsync(graph, baseline, Options());

        Assert.Equal(baseline.Source, evaluator.Requests[0].Candidate.Source);
        Assert.True(Has(evaluator.Requests[0].Candidate, KernelKind.Pointwise, ScheduleSpace.Pointwise.Default));
        Assert.All(evaluator.Requests, request => Assert.Equal(CandidateFormat.Abi, request.Candidate.Format));
    }

    [Fact]
    public async Task TuneAsync_RejectedVariantWithTinyTiming_NeverWins()
    {
        var (graph, baseline) = Problem("relu");
        var evaluator = new FakeKernelEvaluator(candidate => Has(candidate, KernelKind.Pointwise, FastPointwise) ? 10.0 : 50.0)
        {
            Rejects = candidate => Has(candidate, KernelKind.Pointwise, new Schedule(128, 1, 1)),
        };

        var result = await new ScheduleTuner(evaluator).TuneAsync(graph, baseline, Options());

        Assert.Equal(FastPointwise, result.Best!.Schedules[KernelKind.Pointwise]);
        Assert.Equal(result.Evaluated.Count - 1, result.AcceptedCount);
    }

    [Fact]
    public async Task TuneAsync_EverythingRejected_NoBest()
    {
        var (graph, baseline) = Problem("relu");

        var result = await new ScheduleTuner(new FakeKernelEvaluator(_ => null)).TuneAsync(graph, baseline, Options());

        Assert.Null(result.Best);
        Assert.Equal(0, result.AcceptedCount);
        Assert.NotEmpty(result.Evaluated);
    }

    [Fact]
    public async Task TuneAsync_BudgetOfThreeEvaluations_StopsAfterThreeKeepingBest()
    {
        var (graph, baseline) = Problem("relu");
        var clock = new FakeTimeProvider();
        var evaluator = new FakeKernelEvaluator(candidate => 100.0 - candidate.Source.Length % 7)
        {
            BeforeAnswer = _ => clock.Advance(TimeSpan.FromMinutes(1)),
        };

        var result = await new ScheduleTuner(evaluator, timeProvider: clock).TuneAsync(graph, baseline, Options(TimeSpan.FromMinutes(3)));

        Assert.Equal(TuningStopReason.BudgetSpent, result.StopReason);
        Assert.Equal(3, evaluator.Requests.Count);
        Assert.Equal(result.Evaluated.Min(variant => variant.MedianMicroseconds), result.Best!.MedianMicroseconds);
        Assert.Equal(TimeSpan.FromMinutes(3), result.Elapsed);
    }

    [Fact]
    public async Task TuneAsync_ZeroBudget_StillEvaluatesTheDefault()
    {
        var (graph, baseline) = Problem("relu");

        var evaluator = new FakeKernelEvaluator(_ => 50.0);
        var result = await new ScheduleTuner(evaluator, timeProvider: new FakeTimeProvider()).TuneAsync(graph, baseline, Options(TimeSpan.Zero));

        Assert.Single(evaluator.Requests);
        Assert.NotNull(result.Best);
        Assert.Equal(TuningStopReason.BudgetSpent, result.StopReason);
    }

    [Fact]
    public async Task TuneAsync_CancelledDuringThirdEvaluation_KeepsBestOfFirstTwo()
    {
        var (graph, baseline) = Problem("relu");
        using var cancellation = new CancellationTokenSource();
        var medians = new Queue<double>([40.0, 30.0, 1.0, 1.0]);
        var evaluator = new FakeKernelEvaluator(_ => medians.Dequeue())
        {
            BeforeAnswer = call =>
            {
                if (call == 3)
                {
                    cancellation.Cancel();
                }
            },
        };

        var result = await new ScheduleTuner(evaluator).TuneAsync(graph, baseline, Options(), cancellationToken: cancellation.Token);

        Assert.Equal(TuningStopReason.Cancelled, result.StopReason);
        Assert.Equal(2, result.Evaluated.Count);
        Assert.Equal(30.0, result.Best!.MedianMicroseconds);
    }

    [Fact]
    public async Task TuneAsync_SchedulesGivingTheSameCode_EvaluatedOnce()
    {
        var (graph, baseline) = Problem("relu");
        var evaluator = new FakeKernelEvaluator(_ => 50.0);

        // Only the block size reaches the code; the schedule itself is in a comment, as the emitter writes it.
        var result = await new ScheduleTuner(evaluator, BlockSizeOnlyTranslation(baseline)).TuneAsync(graph, baseline, Options());

        var ids = evaluator.Requests.Select(request => request.Candidate.Id).ToList();
        Assert.Equal(ScheduleSpace.Pointwise.BlockSizes.Length, ids.Count);
        Assert.Equal(ScheduleSpace.Pointwise.Enumerate().Count(), ids.Count + result.DuplicatesSkipped);
    }

    [Fact]
    public async Task TuneAsync_VariantsThatDoNotTranslate_SkippedNotEvaluated()
    {
        var (graph, baseline) = Problem("relu");
        var evaluator = new FakeKernelEvaluator(_ => 50.0);
        var translator = new Translator();
        var failed = TranslationResult.Failure([]);

        var result = await new ScheduleTuner(evaluator, (g, schedules) => schedules[KernelKind.Pointwise].VectorWidth == 1 ? failed : translator.Translate(g, schedules))
            .TuneAsync(graph, baseline, Options());

        Assert.NotEmpty(result.Evaluated);
        Assert.All(result.Evaluated, variant => Assert.Equal(4, variant.Schedules[KernelKind.Pointwise].VectorWidth));
        Assert.Equal(TuningStopReason.Exhausted, result.StopReason);
    }

    [Fact]
    public void Plan_RealTranslator_DistinctCodeAndDefaultsFirst()
    {
        var (graph, baseline) = Problem("relu");
        var tuner = new ScheduleTuner(new FakeKernelEvaluator(_ => 1.0));

        var plan = tuner.Plan(graph, baseline);

        Assert.Equal(plan.Count, plan.Select(variant => variant.SourceHash).Distinct().Count());
        Assert.Equal(baseline.Source, plan[0].Translation.Source);
        Assert.Equal(ScheduleSpace.Pointwise.Default, plan[0].Schedules[KernelKind.Pointwise]);
    }

    [Fact]
    public void Plan_MatmulAllowingLibraries_CublasFirstThenEveryOwnKernel()
    {
        var (graph, baseline) = Problem("matmul");

        var plan = new ScheduleTuner(new FakeKernelEvaluator(_ => 1.0), new Translator()).Plan(graph, baseline);

        Assert.Equal(Lowering.Library, plan[0].Schedules[KernelKind.Matmul].Lowering);
        Assert.Contains("cublasGemmEx(", plan[0].Translation.Source, StringComparison.Ordinal);
        Assert.Equal(ScheduleSpace.Matmul.Enumerate(), plan.Skip(1).Select(variant => variant.Schedules[KernelKind.Matmul]));
        Assert.All(plan.Skip(1), variant => Assert.DoesNotContain("cublas", variant.Translation.Source, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Plan_MatmulUnderPureCuda_NoLibraryVariant()
    {
        var graph = Graph("matmul");
        var translator = new Translator { AllowLibraries = false };

        var plan = new ScheduleTuner(new FakeKernelEvaluator(_ => 1.0), translator).Plan(graph, translator.Translate(graph));

        Assert.Equal(
            [ScheduleSpace.Matmul.Default, .. ScheduleSpace.Matmul.Enumerate().Where(schedule => schedule != ScheduleSpace.Matmul.Default)],
            plan.Select(variant => variant.Schedules[KernelKind.Matmul]));
        Assert.All(plan, variant => Assert.DoesNotContain("cublas", variant.Translation.Source, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void CodeHash_SourcesDifferingOnlyInCommentLines_Equal()
    {
        Assert.Equal(ScheduleTuner.CodeHash("// block 256\nint x;\n"), ScheduleTuner.CodeHash("  // block 512\nint x;\n"));
        Assert.NotEqual(ScheduleTuner.CodeHash("int x; // 256\n"), ScheduleTuner.CodeHash("int x; // 512\n"));
    }

    private static Func<string, IReadOnlyDictionary<KernelKind, Schedule>, TranslationResult> BlockSizeOnlyTranslation(TranslationResult baseline) =>
        (_, schedules) => baseline with
        {
            Source = $"// schedule {schedules[KernelKind.Pointwise]}\n#include \"kforge_abi.h\"\nconstexpr int kBlock = {schedules[KernelKind.Pointwise].BlockSize};\n",
        };

    [Fact]
    public async Task TuneAsync_TwoKinds_VariesOneAtATimeThenCombinesTheBestOfEach()
    {
        var (graph, baseline) = Problem("cumprod");
        var kinds = ScheduleTuner.KindsOf(baseline);
        Assert.True(kinds.Count >= 2, $"cumprod should have two kernel kinds (pointwise, scan), has {string.Join(", ", kinds)}");
        var (first, second) = (kinds[0], kinds[1]);
        var bestFirst = ScheduleSpace.For(first).Enumerate().Last();
        var bestSecond = ScheduleSpace.For(second).Enumerate().Last();
        var evaluator = new FakeKernelEvaluator(candidate =>
            50.0 - (Has(candidate, first, bestFirst) ? 10 : 0) - (Has(candidate, second, bestSecond) ? 5 : 0));

        var result = await new ScheduleTuner(evaluator).TuneAsync(graph, baseline, Options());

        Assert.Equal(35.0, result.Best!.MedianMicroseconds);
        Assert.Equal(bestFirst, result.Best.Schedules[first]);
        Assert.Equal(bestSecond, result.Best.Schedules[second]);
        Assert.Same(result.Best, result.Evaluated[^1]);
        Assert.All(result.Evaluated.Take(result.Evaluated.Count - 1), variant =>
            Assert.True(variant.Schedules.Count(pair => pair.Value != ScheduleSpace.For(pair.Key).Default) <= 1));
    }

    [Fact]
    public async Task TuneAsync_Progress_ReportsEveryEvaluationWithBestSoFar()
    {
        var (graph, baseline) = Problem("relu");
        var medians = new Queue<double>(Enumerable.Range(0, 100).Select(i => i == 1 ? 5.0 : 20.0 + i));
        var reports = new List<TuningProgress>();
        var progress = new SynchronousProgress<TuningProgress>(reports.Add);

        var result = await new ScheduleTuner(new FakeKernelEvaluator(_ => medians.Dequeue())).TuneAsync(graph, baseline, Options(), progress);

        Assert.Equal(result.Evaluated.Count, reports.Count);
        Assert.Equal(20.0, reports[0].BestMedianMicroseconds);
        Assert.All(reports.Skip(1), report => Assert.Equal(5.0, report.BestMedianMicroseconds));
        Assert.Equal(Enumerable.Range(1, reports.Count), reports.Select(report => report.Tried));
    }

    /// <summary>Progress{T} posts to the thread pool; tests need the reports in order, on the calling thread.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
