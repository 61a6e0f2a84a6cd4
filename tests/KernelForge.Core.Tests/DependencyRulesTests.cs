using System.Reflection;

namespace KernelForge.Core.Tests;

/// <summary>Keeps the architecture visible: Core references nothing of ours; stage projects reference Core only; third-party packages have one owner.</summary>
public sealed class DependencyRulesTests
{
    private static readonly Dictionary<string, string[]> AllowedProjectReferences = new()
    {
        ["KernelForge.Core"] = [],
        ["KernelForge.Evaluation"] = ["KernelForge.Core"],
        ["KernelForge.Archive"] = ["KernelForge.Core"],
        ["KernelForge.Translation"] = ["KernelForge.Core"],
        // The schedule tuner varies the built-in translator's knobs, so Search sees Translation; never Evaluation, Archive or the CLI.
        ["KernelForge.Search"] = ["KernelForge.Core", "KernelForge.Translation"],
        ["kforge"] = ["KernelForge.Core", "KernelForge.Evaluation", "KernelForge.Archive", "KernelForge.Translation", "KernelForge.Search"],
    };

    private static readonly Dictionary<string, string> PackageOwners = new()
    {
        ["Microsoft.Data.Sqlite"] = "KernelForge.Archive",
        ["System.CommandLine"] = "kforge",
        ["Spectre.Console"] = "kforge",
    };

    public static TheoryData<string> Assemblies() => [.. AllowedProjectReferences.Keys];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void ReferencedAssemblies_OnlyAllowedProjects(string assemblyName)
    {
        var references = Assembly.Load(assemblyName).GetReferencedAssemblies().Select(reference => reference.Name!).ToList();

        var ours = references.Where(name => name.StartsWith("KernelForge.", StringComparison.Ordinal) || name == "kforge");
        Assert.All(ours, name => Assert.Contains(name, AllowedProjectReferences[assemblyName]));
        foreach (var (package, owner) in PackageOwners)
        {
            if (owner != assemblyName)
            {
                Assert.DoesNotContain(references, name => name.StartsWith(package, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Core_ReferencesOnlyTheBaseClassLibrary()
    {
        var references = typeof(Candidate).Assembly.GetReferencedAssemblies().Select(reference => reference.Name!);

        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", $"Core references {name}"));
    }
}
