using KernelForge.Core;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests.Validation;

public sealed class StaticCheckerExamplesTests
{
    public static TheoryData<string> HonestKernels => [.. ExampleKernels.Honest];

    public static TheoryData<string> AdversarialKernels => [.. ExampleKernels.Adversarial];

    [Fact]
    public void Examples_BothFolders_HoldKernels()
    {
        Assert.True(ExampleKernels.Honest.Count(path => ExampleKernels.FormatOf(path) == CandidateFormat.Abi) >= 5, ExampleKernels.ExamplesDirectory);
        Assert.True(ExampleKernels.Adversarial.Any(), ExampleKernels.ExamplesDirectory);
    }

    [Theory]
    [MemberData(nameof(HonestKernels))]
    public void Check_HonestExampleKernel_NoFindingsUnderEitherPolicy(string relativePath)
    {
        var source = ExampleKernels.Read(relativePath);

        foreach (var policy in Enum.GetValues<LibraryPolicy>())
        {
            var result = StaticChecker.Check(source, ExampleKernels.FormatOf(relativePath), policy);
            Assert.False(result.Rejected, StaticCheckerCudaTests.Describe(result));
            Assert.Empty(result.Findings);
            Assert.Empty(result.LibrariesUsed);
        }
    }

    // The adversarial candidates cheat at run time (unwritten outputs, a half write, a modified input, torch.empty) with
    // nothing but ordinary code: the static checks must not claim to catch them; the harness's checks do.
    [Theory]
    [MemberData(nameof(AdversarialKernels))]
    public void Check_AdversarialExampleKernel_NotRejectedStatically(string relativePath)
    {
        var result = StaticChecker.Check(ExampleKernels.Read(relativePath), ExampleKernels.FormatOf(relativePath), LibraryPolicy.PureCuda);

        Assert.False(result.Rejected, StaticCheckerCudaTests.Describe(result));
    }

    [Fact]
    public void Check_ThousandLinesOfHonestKernels_NotRejected()
    {
        var examples = ExampleKernels.Honest.Where(path => ExampleKernels.FormatOf(path) == CandidateFormat.Abi).Select(ExampleKernels.Read).ToList();
        var many = string.Concat(Enumerable.Range(0, 10).SelectMany(_ => examples));
        var source = many[..LengthOfLines(many, 1000)];
        // Speed is a benchmark, not a unit test (a loaded CI box makes timings meaningless); this checks that a long
        // file of honest code is scanned to the end without a rejection.
        var result = StaticChecker.Check(source, CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.Equal(1000, source.Count(ch => ch == '\n'));
        Assert.False(result.Rejected);
    }

    private static int LengthOfLines(string source, int lineCount)
    {
        var index = -1;
        for (var line = 0; line < lineCount; line++)
        {
            index = source.IndexOf('\n', index + 1);
        }

        return index + 1;
    }
}
