using System.CommandLine.Parsing;

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
}
