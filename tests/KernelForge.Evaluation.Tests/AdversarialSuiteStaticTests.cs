using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using KernelForge.Core;
using KernelForge.Evaluation.Extension;
using KernelForge.Evaluation.Tests.Validation;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests;

/// <summary>
/// The static half of the adversarial suite in <c>tests/adversarial/</c>: every case expected as
/// <c>banned_construct</c> must be stopped by <see cref="StaticChecker"/> under the case's library policy, every other
/// case must get through it (its hole is for the run-time checks, which the GPU suite exercises), and no honest example
/// may be rejected.
/// </summary>
public sealed partial class AdversarialSuiteStaticTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    private static readonly JsonSerializerOptions CaseJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static IReadOnlyList<AdversarialCase> Cases { get; } = LoadCases();

    public static TheoryData<string> BannedConstructCases =>
        [.. Cases.Where(adversarial => adversarial.Reason == FailureKind.BannedConstruct.Value).Select(adversarial => adversarial.Kernel)];

    public static TheoryData<string> RunTimeCases =>
        [.. Cases.Where(adversarial => adversarial.Reason != FailureKind.BannedConstruct.Value).Select(adversarial => adversarial.Kernel)];

    public static TheoryData<string> HonestKernels =>
        [.. EnumerateRelative("examples", "*.cu").Concat(EnumerateRelative("examples/torch_ext", "*.cu")).Concat(EnumerateRelative("examples/torch_ext", "*.py"))];

    [Fact]
    public void Cases_EveryFileInTheFolder_IsListedOnceWithAnExistingProblem()
    {
        var listed = Cases.Select(adversarial => adversarial.Kernel).ToList();
        var files = EnumerateRelative("tests/adversarial", "*").Where(path => !path.EndsWith("cases.json", StringComparison.Ordinal)).ToList();

        Assert.True(files.Count >= 19, $"expected at least the 19 required exploits, found {files.Count}");
        Assert.Equal(files.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.All(Cases, adversarial =>
        {
            Assert.True(File.Exists(Path.Combine(RepositoryRoot, adversarial.Problem)), adversarial.Problem);
            Assert.StartsWith("problems/level1/", adversarial.Problem, StringComparison.Ordinal);
            Assert.Contains(adversarial.Expect, (string[])["rejected", "flagged", "accepted"]);
            if (adversarial.Expect == "accepted")
            {
                // An exploit the harness neutralizes (it gains nothing) is accepted; its description must say how.
                Assert.Contains("neutralized", adversarial.Hole, StringComparison.Ordinal);
            }
            else
            {
                Assert.Matches(SnakeCase(), adversarial.Reason);
            }

            Assert.False(string.IsNullOrWhiteSpace(adversarial.Hole), adversarial.Kernel);
        });
    }

    [Theory]
    [MemberData(nameof(BannedConstructCases))]
    public void Check_BannedConstructCase_RejectedBeforeCompiling(string kernel)
    {
        var adversarial = Cases.Single(item => item.Kernel == kernel);
        var (source, format) = Read(kernel);

        var result = StaticChecker.Check(source, format, PolicyOf(adversarial));

        Assert.True(result.Rejected, $"{kernel} under {PolicyOf(adversarial)}:\n{StaticCheckerCudaTests.Describe(result)}");
    }

    // A case meant for a run-time check must reach it: rejected here, it would report banned_construct instead.
    [Theory]
    [MemberData(nameof(RunTimeCases))]
    public void Check_RunTimeCase_NotRejectedStatically(string kernel)
    {
        var adversarial = Cases.Single(item => item.Kernel == kernel);
        var (source, format) = Read(kernel);

        var result = StaticChecker.Check(source, format, PolicyOf(adversarial));

        Assert.False(result.Rejected, $"{kernel} under {PolicyOf(adversarial)}:\n{StaticCheckerCudaTests.Describe(result)}");
    }

    [Theory]
    [MemberData(nameof(HonestKernels))]
    public void Check_HonestExample_NoRejectingFindingUnderEitherPolicy(string kernel)
    {
        var (source, format) = Read(kernel);

        foreach (var policy in Enum.GetValues<LibraryPolicy>())
        {
            var result = StaticChecker.Check(source, format, policy);
            Assert.False(result.Rejected, $"{kernel} under {policy}:\n{StaticCheckerCudaTests.Describe(result)}");
            Assert.DoesNotContain(result.Findings, finding => finding.Verdict == StaticVerdict.Reject);
        }
    }

    // The policy `kforge verify` would run the case under: its --library-policy argument, else the default.
    private static LibraryPolicy PolicyOf(AdversarialCase adversarial)
    {
        var args = adversarial.Args ?? [];
        var index = args.ToList().IndexOf("--library-policy");
        return index >= 0 && index + 1 < args.Count
            ? Enum.Parse<LibraryPolicy>(args[index + 1].Replace("-", "", StringComparison.Ordinal), ignoreCase: true)
            : LibraryPolicy.AllowLibraries;
    }

    // The format the evaluator would detect (CandidateFormats.Detect), so the right scanners and rules apply.
    private static (string Source, CandidateFormat Format) Read(string relativePath)
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot, relativePath));
        var detection = CandidateFormats.Detect(relativePath, source);
        Assert.True(detection.Succeeded, detection.Error);
        return (source, detection.Format!.Value);
    }

    private static List<AdversarialCase> LoadCases()
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot, "tests", "adversarial", "cases.json"));
        return JsonSerializer.Deserialize<List<AdversarialCase>>(json, CaseJson)
            ?? throw new InvalidOperationException("tests/adversarial/cases.json holds no array.");
    }

    private static IEnumerable<string> EnumerateRelative(string folder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot, folder), pattern)
            .Select(path => Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    // Walks up from this source file: builds may put the binaries outside the checkout (--artifacts-path /tmp/…).
    private static string FindRepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(sourceFile) ?? "."); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tests", "adversarial", "cases.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No tests/adversarial/cases.json above {sourceFile}.");
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    /// <summary>One entry of <c>tests/adversarial/cases.json</c> (the schema of <c>tests/gpu/cases.json</c> plus args and hole).</summary>
    private sealed record AdversarialCase(string Problem, string Kernel, string Expect, string Reason, IReadOnlyList<string>? Args, string Hole);
}
