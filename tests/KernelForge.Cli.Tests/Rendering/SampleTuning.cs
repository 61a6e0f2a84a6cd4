using KernelForge.Core;
using KernelForge.Evaluation.Validation;
using KernelForge.Search.Tuning;
using KernelForge.Translation;
using KernelForge.Translation.Cuda;

namespace KernelForge.Cli.Tests.Rendering;

/// <summary>A tuning run built by hand around the relu graph and <see cref="SampleResults"/>, for report tests.</summary>
internal static class SampleTuning
{
    public static readonly Schedule Chosen = new(512, 4, 2);

    public static OptimizeResult Result(EvaluationResult? exported, string? exportError = null)
    {
        var graph = File.ReadAllText(RepositoryFiles.Find("tests/KernelForge.Translation.Tests/Graphs/relu.json"));
        var translator = new Translator();
        Dictionary<KernelKind, Schedule> defaults = new() { [KernelKind.Pointwise] = ScheduleSpace.Pointwise.Default };
        Dictionary<KernelKind, Schedule> chosen = new() { [KernelKind.Pointwise] = Chosen };
        var accepted = SampleResults.Accepted();
        var slower = accepted with { CandidateTiming = accepted.CandidateTiming! with { MedianMicroseconds = 200.0 } };
        var first = new TunedVariant(defaults, translator.Translate(graph, defaults), slower);
        var best = new TunedVariant(chosen, translator.Translate(graph, chosen), accepted);
        var rejected = new TunedVariant(new Dictionary<KernelKind, Schedule> { [KernelKind.Pointwise] = new(128, 1, 1) }, first.Translation, SampleResults.RejectedUnwritten());
        var tuning = new TuningResult(best, [first, best, rejected], 2, TuningStopReason.BudgetSpent, TimeSpan.FromSeconds(75));
        return new OptimizeResult("problems/level1/relu.py", PrecisionPolicy.Strict, LibraryPolicy.PureCuda, tuning, exported, exportError, [],
            ["DEGENERATE PROBLEM (tiny_outputs): outputs are tiny"], Path.Combine("out", "relu"));
    }
}
