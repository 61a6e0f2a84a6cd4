using System.CommandLine;
using System.CommandLine.Parsing;
using KernelForge.Core;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Cli.Commands;

/// <summary>Enum options spelled in kebab case on the command line (<c>pure-cuda</c>, <c>allow-libraries</c>), as the docs write them.</summary>
internal static class KebabCaseEnum
{
    /// <summary>The kebab-case spelling of <paramref name="value"/>: <c>PureCuda</c> → <c>pure-cuda</c>.</summary>
    public static string Name<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>A parser accepting the kebab-case name or the enum name, in any case; the error lists the choices.</summary>
    public static Func<ArgumentResult, T> Parser<T>() where T : struct, Enum => result =>
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(token, Name(value), StringComparison.OrdinalIgnoreCase)
                || string.Equals(token, value.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        result.AddError($"'{token}' is not a valid value; use one of: {string.Join(", ", Enum.GetValues<T>().Select(Name))}.");
        return default;
    };

    /// <summary>An option of kebab-case enum values, its help listing them that way (<c>&lt;strict|tf32|kernel-bench&gt;</c>).</summary>
    public static Option<T> Option<T>(string name, string description, T defaultValue) where T : struct, Enum => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = Parser<T>(),
        HelpName = string.Join('|', Enum.GetValues<T>().Select(Name)),
    };

    /// <summary>The <c>--precision</c> option verify and optimize share.</summary>
    public static Option<PrecisionPolicy> PrecisionOption() => Option(
        "--precision",
        "How close to float64 outputs must be: strict (≤ 10× eager float32's own error), tf32 (1e-3), kernel-bench (KernelBench's 1e-2).",
        PrecisionPolicy.Strict);

    /// <summary>The <c>--library-policy</c> option verify and optimize share.</summary>
    public static Option<LibraryPolicy> LibraryPolicyOption() => Option(
        "--library-policy",
        "allow-libraries: kernels may call cuBLAS/cuDNN (always recorded); pure-cuda: such calls are rejected before compiling.",
        LibraryPolicy.AllowLibraries);
}
