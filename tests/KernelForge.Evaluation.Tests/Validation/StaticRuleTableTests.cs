using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests.Validation;

public sealed class StaticRuleTableTests
{
    [Fact]
    public void Rules_Ids_AreUniqueKebabCase()
    {
        var ids = StaticRuleTable.Rules.Select(rule => rule.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", id));
    }

    [Fact]
    public void Rules_Every_HasDescriptionAndMessage()
    {
        Assert.All(StaticRuleTable.Rules, rule =>
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Description), rule.Id);
            Assert.False(string.IsNullOrWhiteSpace(rule.Message), rule.Id);
        });
    }

    [Fact]
    public void Libraries_VendorMathLibraries_RejectedUnderPureCudaOnly()
    {
        var byLibrary = StaticRuleTable.Rules.Where(rule => rule.Library is not null).ToDictionary(rule => rule.Library!, StringComparer.Ordinal);

        foreach (var library in new[] { "cuBLAS", "cuBLASLt", "cuDNN" })
        {
            Assert.Equal(StaticVerdict.Record, byLibrary[library].VerdictUnder(LibraryPolicy.AllowLibraries));
            Assert.Equal(StaticVerdict.Reject, byLibrary[library].VerdictUnder(LibraryPolicy.PureCuda));
        }

        foreach (var library in new[] { "CUTLASS", "Thrust", "CUB" })
        {
            Assert.Equal(StaticVerdict.Record, byLibrary[library].VerdictUnder(LibraryPolicy.PureCuda));
        }
    }

    [Fact]
    public void Rules_PythonRules_ApplyOnlyToPython()
    {
        Assert.All(StaticRuleTable.Rules.Where(rule => rule.Id.StartsWith("py-", StringComparison.Ordinal)),
            rule => Assert.Equal(SourceLanguage.Python, rule.Language));
    }
}
