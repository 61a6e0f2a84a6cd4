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

return await parseResult.InvokeAsync();
