using KernelForge.Cli;
using Spectre.Console;

var parseResult = KforgeRootCommand.Create(AnsiConsole.Console).Parse(args);
if (parseResult.Errors.Count > 0)
{
    // Usage errors exit with 2 (System.CommandLine's default is 1, which kforge reserves for "rejected").
    foreach (var error in parseResult.Errors)
    {
        Console.Error.WriteLine("kforge: " + error.Message);
    }

    Console.Error.WriteLine("Run 'kforge --help' or 'kforge <command> --help' for usage.");
    return ExitCodes.UsageOrEnvironment;
}

try
{
    // kforge reports its own errors in one line; System.CommandLine's handler would print a stack trace.
    return await parseResult.InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
#pragma warning disable CA1031 // The last line of defence: every failure ends as one line and an exit code, never a stack trace.
catch (Exception ex)
#pragma warning restore CA1031
{
    Console.Error.WriteLine($"kforge: internal error ({ex.GetType().Name}): {ex.Message.Split('\n')[0]} This is a bug in kforge; rerun with KFORGE_VERBOSE=1 for the details and report them.");
    if (Environment.GetEnvironmentVariable("KFORGE_VERBOSE") == "1")
    {
        Console.Error.WriteLine(ex);
    }

    return ExitCodes.InternalError;
}
