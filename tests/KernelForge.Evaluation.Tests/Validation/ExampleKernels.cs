using System.Runtime.CompilerServices;
using KernelForge.Core;

namespace KernelForge.Evaluation.Tests.Validation;

/// <summary>
/// The repository's example candidates, as paths relative to <c>examples/</c>: honest ABI kernels in <c>examples/</c>,
/// honest torch extensions in <c>examples/torch_ext/</c>, and adversarial ones of both formats in <c>examples/adversarial/</c>.
/// </summary>
internal static class ExampleKernels
{
    public static string ExamplesDirectory { get; } = FindExamples();

    public static IEnumerable<string> Honest => Files("", "*.cu").Concat(Files("torch_ext", "*.cu")).Concat(Files("torch_ext", "*.py"));

    public static IEnumerable<string> Adversarial => Files("adversarial", "*.cu").Concat(Files("adversarial", "*.py"));

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(ExamplesDirectory, relativePath));

    /// <summary>The format the evaluator would use: Python files and pybind sources are torch extensions.</summary>
    public static CandidateFormat FormatOf(string relativePath) =>
        relativePath.EndsWith(".py", StringComparison.Ordinal) || Read(relativePath).Contains("PYBIND11_MODULE", StringComparison.Ordinal)
            ? CandidateFormat.TorchExtension
            : CandidateFormat.Abi;

    private static IEnumerable<string> Files(string folder, string pattern)
    {
        var directory = Path.Combine(ExamplesDirectory, folder);
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, pattern).Select(path => Path.GetRelativePath(ExamplesDirectory, path)).Order(StringComparer.Ordinal)
            : [];
    }

    // Walks up from this source file: builds may put the binaries outside the checkout (--artifacts-path /tmp/…).
    private static string FindExamples([CallerFilePath] string sourceFile = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(sourceFile) ?? "."); directory is not null; directory = directory.Parent)
        {
            var examples = Path.Combine(directory.FullName, "examples");
            if (Directory.Exists(Path.Combine(examples, "adversarial")))
            {
                return examples;
            }
        }

        throw new InvalidOperationException($"No examples/adversarial folder above {sourceFile}.");
    }
}
