using KernelForge.Core;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Translation.Tests;

/// <summary>What the translator writes must pass the evaluator's static checks, even under the strictest library policy.</summary>
public sealed class GeneratedKernelStaticCheckTests
{
    public static TheoryData<string> Graphs() => [.. TestFiles.GraphNames];

    [Theory]
    [MemberData(nameof(Graphs))]
    public void StaticChecker_GeneratedKernel_HasNoFindingsUnderPureCuda(string graph)
    {
        var source = new Translator().Translate(TestFiles.Graph(graph)).Source!;

        var result = StaticChecker.Check(source, CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.False(result.Rejected, result.DescribeRejections());
        Assert.Empty(result.Findings);
    }
}
