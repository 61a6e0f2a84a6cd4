using KernelForge.Core;
using KernelForge.Evaluation.Validation;
using KernelForge.Translation.Cuda;

namespace KernelForge.Translation.Tests;

/// <summary>What the translator writes must pass the evaluator's static checks, even under the strictest library policy.</summary>
public sealed class GeneratedKernelStaticCheckTests
{
    public static TheoryData<string> Graphs() => [.. TestFiles.GraphNames];

    [Theory]
    [MemberData(nameof(Graphs))]
    public void StaticChecker_GeneratedKernel_HasNoFindingsUnderPureCuda(string graph)
    {
        var source = new Translator { AllowLibraries = false }.Translate(TestFiles.Graph(graph)).Source!;

        var result = StaticChecker.Check(source, CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.False(result.Rejected, result.DescribeRejections());
        Assert.Empty(result.Findings);
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void StaticChecker_AllowLibrariesKernel_OnlyRecordsTheLibrariesItsLibraryLoweringsCall(string graph)
    {
        var translation = new Translator().Translate(TestFiles.Graph(graph));
        var libraries = translation.Kernels
            .Where(kernel => kernel.Schedule.Lowering == Lowering.Library)
            .Select(kernel => ScheduleSpace.LibraryOf(kernel.Kind)!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        var allowed = StaticChecker.Check(translation.Source!, CandidateFormat.Abi, LibraryPolicy.AllowLibraries);
        var pure = StaticChecker.Check(translation.Source!, CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.False(allowed.Rejected, allowed.DescribeRejections());
        Assert.All(allowed.Findings, finding => Assert.Contains((finding.RuleId, finding.Verdict), new[] { ("uses-cublas", StaticVerdict.Record), ("uses-cudnn", StaticVerdict.Record) }));
        Assert.Equal(libraries, allowed.LibrariesUsed.Order(StringComparer.Ordinal));
        Assert.Equal(libraries.Select(library => library.ToLowerInvariant()), allowed.LinkLibraries.Order(StringComparer.Ordinal));
        Assert.Equal(libraries.Count > 0, pure.Rejected);
    }
}
