using KernelForge.Cli.Rendering;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Worker;
using Spectre.Console;

namespace KernelForge.Cli;

/// <summary>
/// <c>kforge functionalize</c> end to end: the worker captures the problem's graph, writes the functional form and
/// checks it against the problem on every seed (on the GPU if there is one, else on the CPU); this prints what it checked.
/// </summary>
internal sealed class FunctionalizeWorkflow(IAnsiConsole console)
{
    public async Task<int> RunAsync(FileInfo problem, FileInfo output, int inputSets, bool json, CancellationToken cancellationToken)
    {
        if (Validate(problem, output) is { } usage)
        {
            return Fail(usage);
        }

        FunctionalForm form;
        try
        {
            await using var worker = await WorkerLauncher.StartAsync("functionalizing a problem", cancellationToken);
            form = await worker.FunctionalizeAsync(problem.FullName, output.FullName, KforgeHost.Seeds(inputSets), cancellationToken);
        }
        catch (EnvironmentException ex)
        {
            return Fail(ex.Message);
        }
        catch (ProtocolErrorException ex) when (ex.Kind == "not_translatable")
        {
            // The worker names the construct and the problem's file:line; nothing was written.
            return Fail($"cannot functionalize {problem}: {OneLine(ex.Message)}", ExitCodes.NotTranslatable);
        }
        catch (ProtocolErrorException ex) when (ex.Kind.StartsWith("problem_", StringComparison.Ordinal) || ex.Kind == "environment")
        {
            return Fail(OneLine(ex.Message));
        }
        catch (ProtocolException ex)
        {
            // Any other worker failure (a bug, out of memory, the deadline): one line naming it, not a stack trace.
            var kind = ex is ProtocolErrorException error ? error.Kind : ex.GetType().Name;
            return Fail($"the reference worker failed while functionalizing {problem} ({kind}): {OneLine(ex.Message)}");
        }

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(FunctionalFormJsonWriter.Write(problem.ToString(), output.ToString(), form));
        }
        else
        {
            FunctionalFormRenderer.Render(console, problem.ToString(), output.ToString(), form);
        }

        if (form.Matches)
        {
            return ExitCodes.Success;
        }

        Console.Error.WriteLine($"kforge: warning: {output} was written but does not match {problem}; do not use it as the problem's reference.");
        return ExitCodes.Rejected;
    }

    private static string? Validate(FileInfo problem, FileInfo output)
    {
        if (!problem.Exists)
        {
            return $"problem file '{problem}' does not exist; pass the path of a KernelBench-format .py (see problems/).";
        }

        if (!problem.Extension.Equals(".py", StringComparison.OrdinalIgnoreCase))
        {
            return $"problem file '{problem}' is not a .py; a problem is a Python file with class Model, get_inputs() and get_init_inputs().";
        }

        if (string.Equals(output.FullName, problem.FullName, StringComparison.Ordinal))
        {
            return $"--out '{output}' is the problem itself; write the functional form to another file.";
        }

        return Directory.Exists(output.FullName)
            ? $"--out '{output}' is a folder; pass a file path such as {Path.Combine(output.ToString(), Path.GetFileNameWithoutExtension(problem.Name) + "_functional.py")}."
            : null;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static int Fail(string message, int exitCode = ExitCodes.UsageOrEnvironment)
    {
        Console.Error.WriteLine("kforge: " + message);
        return exitCode;
    }
}
