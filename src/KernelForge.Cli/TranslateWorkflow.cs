using System.Text.Json;
using System.Text.Json.Nodes;
using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Validation;
using KernelForge.Translation;
using KernelForge.Translation.Cuda;
using Spectre.Console;

namespace KernelForge.Cli;

/// <summary>
/// <c>kforge translate</c> end to end: the worker exports the problem (torch.export, core ATen; on the GPU if there is
/// one, else on the CPU), the built-in translator lowers the graph, and the <c>.cu</c> and the graph are written.
/// </summary>
internal sealed class TranslateWorkflow(IAnsiConsole console)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <remarks><paramref name="convolutionMath"/>: the convolution schedule's math knob (the rest of its schedule at the default), so a TF32 kernel can be looked at or emulated.</remarks>
    public async Task<int> RunAsync(
        FileInfo problem, FileInfo? graph, FileInfo output, LibraryPolicy libraryPolicy, MathMode convolutionMath, bool json, CancellationToken cancellationToken)
    {
        if (!problem.Exists)
        {
            return Fail($"problem file '{problem}' does not exist; pass the path of a KernelBench-format .py (see problems/).");
        }

        if (graph is { Exists: false })
        {
            return Fail($"graph file '{graph}' does not exist; pass a graph exported by kforge translate (out/<problem>/graph.json).");
        }

        string graphJson;
        try
        {
            graphJson = graph is not null ? await File.ReadAllTextAsync(graph.FullName, cancellationToken) : await ExportAsync(problem, cancellationToken);
        }
        catch (EnvironmentException ex)
        {
            return Fail(ex.Message);
        }
        catch (ProtocolErrorException ex) when (ex.Kind == "not_translatable")
        {
            return Fail($"{problem} is not translatable by the built-in translator: {ex.Message}", ExitCodes.NotTranslatable);
        }
        catch (ProtocolErrorException ex) when (ex.Kind.StartsWith("problem_", StringComparison.Ordinal) || ex.Kind == "environment")
        {
            return Fail(ex.Message);
        }
        catch (ProtocolErrorException ex)
        {
            // Any other worker failure (e.g. out of GPU memory while exporting): one line naming its kind, not a stack trace.
            return Fail($"the reference worker failed while exporting {problem} ({ex.Kind}): {ex.Message.Split('\n')[0]}");
        }

        var translator = new Translator { AllowLibraries = libraryPolicy == LibraryPolicy.AllowLibraries };
        var result = convolutionMath == MathMode.Fp32Fma
            ? translator.Translate(graphJson)
            : translator.Translate(graphJson, new Dictionary<KernelKind, Schedule> { [KernelKind.Convolution] = translator.SpaceFor(KernelKind.Convolution).Default with { Math = convolutionMath } });
        output.Directory?.Create();
        await File.WriteAllTextAsync(Path.Combine(output.DirectoryName ?? ".", "graph.json"), graphJson, cancellationToken);
        if (result.Source is { } source)
        {
            await File.WriteAllTextAsync(output.FullName, source, cancellationToken);
        }

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(ToJson(result, result.Succeeded ? output.ToString() : null).ToJsonString(Indented));
        }
        else
        {
            Render(result, output);
        }

        return result.Succeeded ? ExitCodes.Success : ExitCodes.NotTranslatable;
    }

    private static async Task<string> ExportAsync(FileInfo problem, CancellationToken cancellationToken)
    {
        await using var worker = await WorkerLauncher.StartAsync("exporting a problem (or pass --graph)", cancellationToken);
        return await worker.ExportGraphAsync(problem.FullName, EvaluationSessionOptions.DefaultSeeds[0], cancellationToken);
    }

    private void Render(TranslationResult result, FileInfo output)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("node", "ATen op", "lowered as");
        foreach (var note in result.Lowerings)
        {
            table.AddRow(Markup.Escape(note.Node), Markup.Escape(note.Target), Markup.Escape(note.How));
        }

        console.Write(table);
        foreach (var diagnostic in result.Diagnostics)
        {
            console.MarkupLineInterpolated($"[yellow]{diagnostic}[/]");
        }

        if (result.Succeeded)
        {
            console.MarkupLineInterpolated($"[green]wrote[/] {output} (IR {result.IRHash}); verify it with: kforge verify --problem <problem.py> --kernel {output}");
        }
        else
        {
            console.MarkupLine("[red]not translatable[/] by the built-in translator: see the diagnostics above.");
        }
    }

    private static JsonObject ToJson(TranslationResult result, string? sourcePath) => new()
    {
        ["translated"] = result.Succeeded,
        ["source_path"] = sourcePath,
        ["ir_hash"] = result.IRHash,
        ["libraries"] = new JsonArray([.. LibrariesCalled(result).Select(library => (JsonNode)JsonValue.Create(library))]),
        ["lowerings"] = new JsonArray([.. result.Lowerings.Select(note => (JsonNode)new JsonObject
        {
            ["node"] = note.Node,
            ["target"] = note.Target,
            ["how"] = note.How,
        })]),
        ["diagnostics"] = new JsonArray([.. result.Diagnostics.Select(diagnostic => JsonValue.Create(diagnostic.ToString()))]),
    };

    /// <summary>The libraries the kernel calls: those of library lowerings whose strategy names them (a lowering too large for its library runs the own kernel).</summary>
    private static IEnumerable<string> LibrariesCalled(TranslationResult result) =>
        result.Kernels
            .Where(kernel => kernel.Schedule.Lowering == Lowering.Library)
            .Select(kernel => (Library: ScheduleSpace.LibraryOf(kernel.Kind), kernel.Strategy))
            .Where(pair => pair.Library is not null && pair.Strategy.StartsWith(pair.Library + " ", StringComparison.Ordinal))
            .Select(pair => pair.Library!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static int Fail(string message, int exitCode = ExitCodes.UsageOrEnvironment)
    {
        Console.Error.WriteLine("kforge: " + message);
        return exitCode;
    }
}
