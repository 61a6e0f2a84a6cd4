using System.Globalization;
using System.Text;

namespace KernelForge.Translation.Tests;

/// <summary>Golden-file assertions: compares with a file in this project, or rewrites it when <c>KFORGE_UPDATE_GOLDEN=1</c>.</summary>
/// <remarks>Review golden changes in a pull request like code: they are the emitter's output.</remarks>
internal static class Golden
{
    public const string UpdateVariable = "KFORGE_UPDATE_GOLDEN";

    public static void AssertMatches(string actual, string relativePath)
    {
        var path = TestFiles.Path(relativePath);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{relativePath} does not exist; run the tests with {UpdateVariable}=1 to write it, then review it.");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            Assert.Fail($"{relativePath} differs (rerun with {UpdateVariable}=1 to accept the new output):\n{Diff(expected, actual)}");
        }
    }

    /// <summary>The first differing line with three lines of context, <c>-</c> expected and <c>+</c> actual.</summary>
    private static string Diff(string expected, string actual)
    {
        string[] want = expected.Split('\n'), got = actual.Split('\n');
        var first = 0;
        while (first < want.Length && first < got.Length && want[first] == got[first])
        {
            first++;
        }

        var text = new StringBuilder();
        for (var i = Math.Max(0, first - 3); i < first; i++)
        {
            text.Append("  ").Append(want[i]).Append('\n');
        }

        foreach (var line in want.Skip(first).Take(4))
        {
            text.Append("- ").Append(line).Append('\n');
        }

        foreach (var line in got.Skip(first).Take(4))
        {
            text.Append("+ ").Append(line).Append('\n');
        }

        return text.Append(CultureInfo.InvariantCulture, $"(line {first + 1}; expected {want.Length} lines, got {got.Length})").ToString();
    }
}
